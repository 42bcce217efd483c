"""Reading and writing tables: CSV, XLSX, YAML uploads and XLSX exports."""
