"""Services of periodic reporting: plain functions, no HTTP, permissions enforced here."""
