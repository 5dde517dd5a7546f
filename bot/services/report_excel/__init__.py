"""Reports by Excel (issue 23): a unit downloads its report as a workbook, fills it in
Excel with its departments, sends it back, and every good cell is saved.

- layout.py: where things are in the template, the hidden identity sheet, the fingerprint
  of the scoring table;
- template.py: the workbook the bot writes (openpyxl);
- container.py: the checks on the file as a zip before openpyxl opens it (size, zip bombs,
  macros, DTDs);
- reading.py: the workbook read in read-only mode into plain cells;
- checks.py: identity and cells against the report, through the `CODE: value` rules;
- download.py / upload.py: the two use cases; callbacks.py: the «📥 Mẫu Excel» button.

Nothing here imports telegram; the handler is handlers/report/excel.py.
"""
