"""Pages that the embedded-run smoke test opens as every demo role; apps add theirs."""

SMOKE_URLS = ["/", "/units/", "/inbox/", "/accounts/password_change/"]
