#!/usr/bin/env python3
"""Fine-tune Flywheel trainer entry point. See flywheel_trainer/cli.py and docker/README.md.

    python finetune.py --task summarization --dataset /data/snapshot.jsonl \
        --base-model mistral-7b --output-dir /models/run-1
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flywheel_trainer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
