"""The engine: calendar, rulebooks, votes and quorums, audit chain.

No party or village words here."""
