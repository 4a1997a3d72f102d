"""The Reflex UI by portal: each screen's state, page and components side by side."""
