"""What callers may do with reform activities and follow-ups: context + repository in, state or DomainError out."""
