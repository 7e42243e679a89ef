"""Accountability without unmasking: reports, sanctions, appeals, the public log, pile-on damping."""
