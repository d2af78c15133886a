-- Issue 23: an identity's preferred language (the `locale` trait), set in settings; emails to it are written in it.
-- NULL: none chosen — emails follow the language of the request that caused them.
ALTER TABLE identities ADD COLUMN locale text CHECK (locale ~ '^[a-z]{2,3}$');
