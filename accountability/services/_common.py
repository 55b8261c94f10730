"""Helpers shared by the accountability services."""


def save(instance, actor, fields=None, reason=None):
    """Save with who did it (and why) recorded in the history."""
    instance._history_user = actor
    if reason:
        instance._change_reason = str(reason)[:100]
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=fields)
