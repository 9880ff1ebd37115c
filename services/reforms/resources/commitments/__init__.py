"""Change commitments (aksi perubahan) and their milestones."""
