"""Unattended operation: the state of each publication (state.py), the alerts on its changes
(alerts.py) and the channels they go through (channels.py: e-mail, webhook)."""
