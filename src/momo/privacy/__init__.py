"""What the server refuses to know: sealing, coarse time, image scrubbing, rate-limit hashing."""
