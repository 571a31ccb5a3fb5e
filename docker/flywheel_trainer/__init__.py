"""Fine-tune Flywheel trainer: fine-tunes a base model on a JSONL snapshot of (input, output) samples.

Entry point: ``docker/finetune.py`` (see ``cli.main``). Events are JSON lines on stdout; see
``events.py`` for the schema and ``cli.py`` for exit codes.
"""
__version__ = "0.1.0"
