"""Small helpers for views that turn form errors into messages."""

from django.contrib import messages


def form_errors_to_messages(request, form, *, with_labels=False):
    """Show each error of an invalid form as an error message (for forms posted from a panel)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if with_labels and field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
