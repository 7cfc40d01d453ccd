"""`make bench`: builds practices of several sizes and measures pages, the reminder sweep and sending.

Run by bench/run.py; see README.md, section "Benchmark". Nothing here runs in production: the two
baseline views are routed only with BENCH_VIEWS=1.
"""
