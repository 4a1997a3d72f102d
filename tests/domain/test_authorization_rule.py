"""The authorization rule for data changes, enforced over the whole domain.

Every public domain function that writes (directly or through a helper of its module)
must pass through ``accounts.actors.acting_user`` (directly, or through one of the gates
below, each of which calls it) — except the functions listed in ``NO_ACTOR`` with the
reason they have no signed-in actor. Adding a writing function without a gate fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import healthcareplus.domain

ROOT = Path(healthcareplus.domain.__file__).parent
# Functions that call ``acting_user`` for their callers (checked below to really do so).
GATES = {
    "acting_user",
    "acting_admin",
    "require_admin",
    "require_schedule_actor",
    "_acting_doctor",
    "_require_patient",
    "appointment_for_actor",
    "_load_own",
    "own_doctor",
    "acting_desk",
}
# module.function -> why it has no signed-in actor to check
NO_ACTOR = {
    "accounts.auth.authenticate": "signing in: records the attempt before anyone is known",
    "accounts.auth.password_holder": "records a password check (sign-in, password change)",
    "accounts.sessions.create_session": "called by authenticate's caller for the user it verified",
    "accounts.sessions.revoke_session": "signing out: the token itself is the credential",
    "accounts.sessions.resolve_session": "finding who holds a token (slides its idle expiry)",
    "accounts.sessions.revoke_all_sessions": "ends sessions for gated callers (block, password)",
    "accounts.profiles.register_patient": "self-registration: nobody is signed in yet",
    "accounts.profiles.register_admin": "registration with the admin code, checked inside",
    "accounts.password_links.issue_password_link": "a link for gated callers (an invitation)",
    "accounts.admins.new_staff_user": "the staff account an admin creates (gated callers)",
    "accounts.password_links.set_password_with_link": "nobody signed in: the link's token is "
    "the credential",
    "accounts.password_links.prune_password_links": "the system sweep deleting ended links",
    "accounts.api_tokens.prune_api_tokens": "the system sweep deleting expired API tokens",
    "scheduling.lifecycle.apply": "the lifecycle itself; its callers are gated",
    "payments.checkout.confirm_pay_at_clinic": "the Pay-at-Clinic confirmation for gated "
    "callers (the patient's checkout, the front desk)",
    "notifications.outbox.appointment_news": "the lifecycle's news, in its gated transaction",
    "notifications.reminders.schedule_reminders": "the lifecycle's reminders, likewise",
    "notifications.reminders.schedule_hold_nudge": "the nudge of a hold the patient just made",
    "notifications.reminders.schedule_accepted_request_nudge": "the nudge to pay a request "
    "the doctor just accepted (accept_request is gated)",
    "notifications.delivery.deliver_due": "the worker sending queued messages",
    "notifications.news_letters.write_pending_news": "the worker writing a change's letters",
    "notifications.pending_news.queue_news": "the lifecycle's news, in its gated transaction",
    "notifications.pending_news.take_pending": "the worker taking a change's letters to write",
    "notifications.pending_news.put_back": "the worker returning letters that failed",
    "notifications.message_rows.insert_messages": "messages of a change its caller gated",
    "notifications.account_news.account_message": "the news of a change its caller gated",
    "notifications.password_reset.request_password_reset": "a forgotten password: nobody is "
    "signed in; the link goes only to the account's own mailbox",
    "notifications.payment_news.refund_processed": "a refund the gateway has acknowledged",
    "notifications.webhook_outbox.appointment_webhooks": "the lifecycle's webhooks, in its "
    "gated transaction",
    "notifications.webhook_outbox.refund_webhooks": "a refund the gateway has acknowledged",
    "notifications.webhook_outbox.queue_webhooks": "the webhooks of a change its caller gated",
    "scheduling.lifecycle.expire_lapsed_holds": "the system sweep (and slot claims of gated calls)",
    "scheduling.refunds.refund": "the refund policy; its callers are gated",
    "scheduling.refunds.save_payment": "a ledger row and its audit entry for gated callers",
    "scheduling.schedule_changes.make_edit": "the change its callers (schedule, time off) gated",
    "payments.ledger.settle_attempt": "records the gateway's answer for a gated payment",
    "payments.reconciliation.reconcile_attempt": "the system sweep asking the gateway",
    "payments.reconciliation.push_refund": "the system sweep telling the gateway",
    "reports.download_links.prune_download_grants": "the system sweep deleting old grants",
    "accounts.throttle.prune_login_attempts": "the system sweep deleting old sign-in attempts",
    "scheduling.tallies.write_pending": "the counts of the changes its session's callers gated",
    "catalog.reviews.count_rating": "the rating counters of a review change its caller gated",
    "catalog.doctor_photos.change_photo": "the photo change its gated callers made (an admin; "
    "the doctor on their own profile)",
    "scheduling.tallies.recount": "the operator's `counters rebuild` and the migration",
    "scheduling.tallies.rebuild": "the operator's `counters rebuild` command",
    "scheduling.tallies.check": "the operator's `counters check` (reads only)",
    "booking.waitlist.end_past_entries": "the system sweep ending past waitlist entries (and "
    "the patient's own, in their gated calls)",
    "booking.waitlist_offers.offer_freed_slot": "the worker offering a freed slot; the hold is "
    "booked through the waiter's own gated booking",
    "booking.waitlist_offers.settle_offers": "the worker closing offers whose hold ended",
    "scheduling.freed_slots.record_freed_slot": "the lifecycle's record of a freed slot, in a "
    "gated transaction",
    "scheduling.freed_slots.record_freed_slots": "likewise, for several slots",
    "scheduling.tallies.discard_pending": "forgets the counts of a rolled-back savepoint",
}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (".".join(path.relative_to(ROOT).with_suffix("").parts), ast.parse(path.read_text()))
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "__init__.py"
    ]


def _called_names(fn: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                names.add(f.id)
            elif isinstance(f, ast.Attribute):
                names.add(f.attr)
    return names


def _writes(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr in {"add", "add_all", "delete", "execute"} and (
                isinstance(owner, ast.Name) and owner.id == "session"
            ):
                # ``session.execute(select(...))`` reads; any other statement may write.
                reads = node.args and ast.unparse(node.args[0]).startswith("select(")
                if not reads:
                    return True
            if node.func.attr == "exec" and node.args:
                inner = node.args[0]
                text = ast.unparse(inner)
                if text.startswith(("update(", "delete(", "insert(")):
                    return True
            if node.func.attr in {"apply", "expire_lapsed_holds"}:
                return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"refund", "settle_attempt", "audit", "audit_event"}
        ):
            return True
    return False


def _analyse() -> dict[str, tuple[bool, bool]]:
    """module.function -> (writes, passes a gate), following calls within the module."""
    result = {}
    for module, tree in _modules():
        fns = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        calls = {name: _called_names(fn) for name, fn in fns.items()}
        writes = {name: _writes(fn) for name, fn in fns.items()}
        gated = {name: bool(calls[name] & GATES) for name in fns}
        changed = True
        while changed:
            changed = False
            for name in fns:
                local = calls[name] & fns.keys()
                w = writes[name] or any(writes[c] for c in local)
                g = gated[name] or any(gated[c] for c in local if c.startswith("_"))
                if (w, g) != (writes[name], gated[name]):
                    writes[name], gated[name], changed = w, g, True
        for name in fns:
            result[f"{module}.{name}"] = (writes[name], gated[name])
    return result


def test_every_writing_domain_function_checks_the_acting_user() -> None:
    analysis = _analyse()
    ungated = sorted(
        name
        for name, (writes, gated) in analysis.items()
        if writes
        and not gated
        and not name.rsplit(".", 1)[1].startswith("_")
        and name not in NO_ACTOR
    )
    assert ungated == []


def test_the_exceptions_are_real_functions() -> None:
    assert set(NO_ACTOR) <= set(_analyse())


def test_every_gate_calls_acting_user() -> None:
    defined = {}
    for module, tree in _modules():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in GATES:
                defined[f"{module}.{node.name}"] = _called_names(node)
    assert {name.rsplit(".", 1)[1] for name in defined} == GATES
    for name, called in defined.items():
        if name.endswith(".acting_user"):
            continue
        assert "acting_user" in called or called & (GATES - {name.rsplit(".", 1)[1]}), name


def test_the_doctors_answers_to_booking_requests_are_gated() -> None:
    """``booking.requests``: each writes, and each checks the doctor (``_own_doctor``)."""
    analysis = _analyse()
    for name in ("accept_request", "decline_request", "set_confirms_bookings"):
        assert analysis[f"booking.requests.{name}"] == (True, True), name
