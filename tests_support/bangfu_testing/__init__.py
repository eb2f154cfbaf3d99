"""Support code for Bangfu's tests: factories (`bangfu_testing.factories`), the Playwright
fixtures (`bangfu_testing.browser`), the English-mode check (`bangfu_testing.english`) and the
role × action × region matrix every app's test_permissions.py generates (`bangfu_testing.matrix`).

It lives outside `src/`, so the installed `bangfu` package neither contains nor imports it (and
never imports pytest or Playwright at run time). pytest finds it through `pythonpath` in
pyproject.toml; the benchmarks put this directory on `sys.path` themselves."""
