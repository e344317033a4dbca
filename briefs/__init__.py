"""briefs: audience-tailored briefing documents (DOCX and PDF) from one YAML data file.

Stages: load (data, profiles) -> select (Brief) -> compose (template -> Document) -> write.
"""

__version__ = "0.1.0"
