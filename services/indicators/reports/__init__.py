"""Files made from the indicators service's data: the annual performance report (LKjIP) and the
performance agreement (PK) as documents, scorecards and rankings as sheets, and the Excel templates for
planning and reporting. `facts` reads what a file needs (with the caller's read permission); the builders
(`lkjip`, `pk`, `sheets`, `templates`) are pure; shared.documents and shared.spreadsheets draw them."""
