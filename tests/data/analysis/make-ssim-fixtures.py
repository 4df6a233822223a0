#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes ssim-fixtures.json: SSIM values computed by scikit-image for the
# planes tests/core/test-analysis.c builds with the same integer formula,
# so that Refinery's SSIM is checked against an implementation it shares
# nothing with. Needs python3-skimage (Debian); the tests only read the
# JSON this writes. Run from this directory:  ./make-ssim-fixtures.py

import json

import numpy as np
import skimage
from skimage.metrics import structural_similarity


def plane(w, h, seed, amp):
    out = np.zeros((h, w), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            k = ((x * 73856093) ^ (y * 19349663) ^ (seed * 83492791)) & 0xFFFFFFFF
            noise = ((k * 2654435761) & 0xFFFFFFFF) >> 24
            base = (x * 5 + y * 3) * 255 // (5 * (w - 1) + 3 * (h - 1))
            v = base + noise * amp // 64 - 2 * amp
            out[y, x] = min(255, max(0, v))
    return out


CASES = [
    dict(width=64, height=48, a=[1, 16], b=[2, 8]),
    dict(width=97, height=33, a=[3, 40], b=[3, 10]),
    dict(width=11, height=11, a=[4, 30], b=[5, 30]),
    dict(width=40, height=40, a=[6, 64], b=[7, 0]),
    dict(width=120, height=90, a=[8, 20], b=[8, 20]),
    dict(width=50, height=70, a=[9, 24], b=[9, 24], invert_b=True),
    dict(width=256, height=16, a=[10, 100], b=[11, 100]),
]


def main():
    cases = []
    for case in CASES:
        a = plane(case["width"], case["height"], *case["a"])
        b = plane(case["width"], case["height"], *case["b"])
        if case.get("invert_b"):
            b = 255 - b
        value = structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
                                      use_sample_covariance=False, data_range=255)
        cases.append(dict(case, ssim=round(float(value), 10)))

    with open("ssim-fixtures.json", "w") as f:
        json.dump({"generator": "make-ssim-fixtures.py",
                   "scikit-image": skimage.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
