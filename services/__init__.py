"""The services of Kinerja, one folder each; services.registry lists them."""
