"""The agency trees tests are written against, by name, for the fake replica (`tests.support.fakes.ReplicaTree`) and
the one behind a real stack (`tests.integration.indicators_support.Tree`) alike."""
from __future__ import annotations

# Provinsi Jambi > Kabupaten Tanjabbar > Dinas Pendidikan (> Bidang SD), Dinas Kesehatan; and a second regency,
# Kabupaten Tanjabtim: (name, type, parent), parents first.
JAMBI = (("jambi", "province", None), ("tanjabbar", "regency", "jambi"), ("pendidikan", "work_unit", "tanjabbar"),
         ("kesehatan", "work_unit", "tanjabbar"), ("bidang_sd", "sub_unit", "pendidikan"),
         ("tanjabtim", "regency", "jambi"))


def grown(tree, layout=JAMBI):
    """`tree` with every agency of `layout` added."""
    for name, type_, parent in layout:
        tree.add(name, type_, parent)
    return tree
