"""Survey (摸底) import and export of the registry (R3; issue 2 item 6).

columns   the sheet's columns, one table used by every part below and by docs/registry.md
cells     how a cell is parsed and written back
reader    xlsx/csv → raw rows                      validate  rows → values and errors (pure)
plan      batched look-ups, matching, what to do   writer    the writes, with history (bulk)
importer  survey_import(): the pipeline            export    survey_export()
workbook  template, bad-rows file                  views     the pages (urls included at /registry/survey/)
"""
