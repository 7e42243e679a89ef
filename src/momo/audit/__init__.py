"""The anonymity audit: real re-identification attacks, measured channel by channel."""
