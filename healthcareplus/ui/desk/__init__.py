"""The front-desk portal: patients, booking for them, payments at the counter, the queue."""
