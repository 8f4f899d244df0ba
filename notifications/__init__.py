"""Inbox, channels and reminders (issue 6). Subscribes to the procedures' domain events;
procedures never import it."""
