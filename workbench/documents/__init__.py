"""Supporting documents (EUCs, BIS-711 statements, import certificates...): the engine.

Pure of databases and Qt; it imports only the domain, the configuration, the standard
library and pypdf. The services (``workbench.services.documents``) put it to work.

Modules, one purpose each:

``sniff``      type by content (PDF, PNG, JPEG, TIFF), never by extension
``pdfcheck``   open with pypdf, refuse encrypted and broken PDFs, read text (bounded)
``images``     structural checks of scans (size, not cut short)
``intake``     the checks a file passes on the store's own copy before it is kept
``filestore``  the content-addressed store under ``data_dir()/documents``; verify, tamper, missing
``filenames``  ``safe_display_name`` for odd file names
``names``      fuzzy name comparison (the screening normaliser is injected by the services)
``countries``  country names mentioned in a text
``suggest``    suggestions from a document's text, with evidence, never applied
``checks``     document issues feeding the rule engine's open items; the expiry dashboard
``bundle``     case bundles (case file + documents) as a folder or zip
``errors``     why a document was refused or cannot be trusted
"""
