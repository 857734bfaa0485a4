#!/usr/bin/env python3
"""Solves an allocation written by the benchmark example with HiGHS, to compare with
vigie-coord (docs/benchmarks.md, "Allocation"). Not part of the build or the tests; needs
`pip install highspy` (HiGHS 1.16 was used):

    ALLOCATE_LP=/tmp/p1.lp cargo run --release -p vigie-coord --example allocate_bench 5000 40 1
    python3 scripts/highs_allocation.py /tmp/p1.lp 60

Prints HiGHS's status, time, best objective, proven bound and gap (one thread).
"""

import sys
import time

import highspy


def main():
    path = sys.argv[1]
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.readModel(path)
    started = time.time()
    h.run()
    info = h.getInfo()
    print(
        f"{path}: {h.modelStatusToString(h.getModelStatus())} in {time.time() - started:.1f} s, "
        f"objective {info.objective_function_value:.2f}, bound {info.mip_dual_bound:.2f}, "
        f"gap {100 * info.mip_gap:.3f} %, nodes {info.mip_node_count}"
    )


if __name__ == "__main__":
    main()
