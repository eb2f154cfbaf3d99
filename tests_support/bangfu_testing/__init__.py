"""Support code for Bangfu's tests: factories (`bangfu_testing.factories`) and the Playwright
fixtures (`bangfu_testing.browser`).

It lives outside `src/`, so the installed `bangfu` package neither contains nor imports it (and
never imports pytest or Playwright at run time). pytest finds it through `pythonpath` in
pyproject.toml; the benchmarks put this directory on `sys.path` themselves."""
