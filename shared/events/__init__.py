"""Domain events: the envelope, the contract registry, the producer, the consumer runner."""
