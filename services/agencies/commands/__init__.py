"""Use cases of the agencies service. Each checks the caller's scope and the registry's rules,
then writes the state change, its event and its audit record in one single-document write."""
