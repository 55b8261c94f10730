"""Saving with who did it, and why, recorded in django-simple-history."""


def save_as(instance, actor, fields=None, reason=None):
    """Save instance with actor as the history user (None: the system or an anonymous sender — the
    request user is then never recorded) and an optional change reason; fields limits the update."""
    instance._history_user = actor
    if reason:
        instance._change_reason = str(reason)[:100]
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=fields)
