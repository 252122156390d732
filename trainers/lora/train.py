#!/usr/bin/env python3
"""
Intelluxe LoRA / QLoRA trainer for per-doctor writing-style adapters.

Reads a chat-format JSONL dataset (one {"messages": [...]} object per line, as exported by
GET /v1/learning/datasets/:id/download), fine-tunes a PEFT LoRA adapter on a causal language model, writes the
adapter (adapter_config.json + adapter_model.safetensors) to --output, and writes a metrics file with the loss
curve, eval loss and generations of the adapter and of the base model on the evaluation prompts (the model
registry's safety gates check them for PHI and style).

Progress goes to stdout as JSON lines, one event per line, which the server streams into the training job:
    {"event": "step", "step": 10, "loss": 1.93, "learning_rate": 0.0002}
    {"event": "eval", "step": 50, "eval_loss": 1.71}
    {"event": "done", "train_loss": 1.52, "eval_loss": 1.68, "duration_seconds": 412.3, "samples": 180}
Anything else printed (library logs) is ignored by the server.

4-bit QLoRA is used when --quantization is 4bit, or auto and bitsandbytes is installed (Unsloth's
FastLanguageModel is used instead of transformers when it is importable). Heavy imports happen inside train(),
so `--help`, argument checks and the dataset helpers work without PyTorch.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Iterable

ROLES = {"system", "user", "assistant"}


def emit(event: dict[str, Any]) -> None:
    """One metric event as a JSON line on stdout (flushed: the server reads it live)."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Train a LoRA/QLoRA adapter on a chat JSONL dataset.")
    p.add_argument("--train", required=True, help="training split, chat JSONL")
    p.add_argument("--eval", required=True, help="evaluation split, chat JSONL")
    p.add_argument("--output", required=True, help="directory for the adapter files")
    p.add_argument("--metrics-file", required=True, help="where to write metrics.json")
    p.add_argument("--base-model", required=True, help="Hugging Face id or local path of the base model")
    p.add_argument("--r", type=int, default=16, help="LoRA rank")
    p.add_argument("--alpha", type=int, default=32, help="LoRA alpha")
    p.add_argument("--dropout", type=float, default=0.05, help="LoRA dropout")
    p.add_argument("--target-modules", default="q_proj,k_proj,v_proj,o_proj", help="comma-separated module names")
    p.add_argument("--steps", type=int, default=200, help="optimizer steps")
    p.add_argument("--learning-rate", type=float, default=2e-4)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--max-seq-length", type=int, default=1024)
    p.add_argument("--quantization", choices=["auto", "4bit", "none"], default="auto")
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--max-new-tokens", type=int, default=256, help="tokens per evaluation generation")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(list(argv) if argv is not None else None)
    for name in ("r", "alpha", "steps", "batch_size", "max_seq_length", "eval_every"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 <= args.dropout < 1:
        p.error("--dropout must be in [0, 1)")
    if not 0 < args.learning_rate <= 0.1:
        p.error("--learning-rate must be in (0, 0.1]")
    args.target_modules = [m.strip() for m in args.target_modules.split(",") if m.strip()]
    if not args.target_modules:
        p.error("--target-modules is empty")
    return args


def load_chat_jsonl(path: str | Path) -> list[list[dict[str, str]]]:
    """The conversations of a chat JSONL file; raises ValueError naming the line of a malformed record."""
    conversations = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON ({e.msg})") from e
            messages = record.get("messages") if isinstance(record, dict) else None
            if not isinstance(messages, list) or not messages:
                raise ValueError(f"{path}:{number}: expected an object with a non-empty 'messages' list")
            for m in messages:
                if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
                    raise ValueError(f"{path}:{number}: each message needs a role (system/user/assistant) and content")
            if messages[-1]["role"] != "assistant":
                raise ValueError(f"{path}:{number}: the last message must be the assistant's")
            conversations.append(messages)
    return conversations


def render_chat(messages: list[dict[str, str]], tokenizer: Any = None, add_generation_prompt: bool = False) -> str:
    """The conversation as model text: the tokenizer's chat template when it has one, else a plain layout."""
    if tokenizer is not None and getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    text = "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)
    return text + ("<|assistant|>\n" if add_generation_prompt else "")


def quantization_mode(requested: str) -> str:
    """'4bit' when asked for (or auto with bitsandbytes installed), else 'none'."""
    if requested == "4bit":
        if importlib.util.find_spec("bitsandbytes") is None:
            raise SystemExit("--quantization 4bit needs bitsandbytes (pip install bitsandbytes)")
        return "4bit"
    if requested == "auto" and importlib.util.find_spec("bitsandbytes") is not None:
        return "4bit"
    return "none"


def train(args: argparse.Namespace) -> dict[str, Any]:
    import torch  # noqa: PLC0415 (heavy imports only when training)
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training  # noqa: PLC0415
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415

    started = time.time()
    torch.manual_seed(args.seed)
    train_set = load_chat_jsonl(args.train)
    eval_set = load_chat_jsonl(args.eval)
    quant = quantization_mode(args.quantization)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    if importlib.util.find_spec("unsloth") is not None and device == "cuda":
        from unsloth import FastLanguageModel  # noqa: PLC0415

        model, tokenizer = FastLanguageModel.from_pretrained(
            args.base_model, max_seq_length=args.max_seq_length, load_in_4bit=quant == "4bit"
        )
        model = FastLanguageModel.get_peft_model(
            model, r=args.r, lora_alpha=args.alpha, lora_dropout=args.dropout, target_modules=args.target_modules
        )
    else:
        tokenizer = AutoTokenizer.from_pretrained(args.base_model)
        kwargs: dict[str, Any] = {}
        if quant == "4bit":
            from transformers import BitsAndBytesConfig  # noqa: PLC0415

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True,
                bnb_4bit_quant_type="nf4",
                bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=torch.bfloat16,
            )
            kwargs["device_map"] = "auto"
        model = AutoModelForCausalLM.from_pretrained(args.base_model, **kwargs)
        if quant == "4bit":
            model = prepare_model_for_kbit_training(model)
        elif device == "cuda":
            model = model.to(device)
        model = get_peft_model(
            model,
            LoraConfig(
                r=args.r,
                lora_alpha=args.alpha,
                lora_dropout=args.dropout,
                target_modules=args.target_modules,
                task_type="CAUSAL_LM",
            ),
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token

    def encode(conversations: list[list[dict[str, str]]]) -> list[dict[str, Any]]:
        """Token ids with labels only on the assistant's answer (the prompt is masked with -100)."""
        out = []
        for messages in conversations:
            prompt = render_chat(messages[:-1], tokenizer, add_generation_prompt=True)
            full = render_chat(messages, tokenizer)
            prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            ids = tokenizer(full, add_special_tokens=False)["input_ids"][: args.max_seq_length]
            labels = [-100] * min(len(prompt_ids), len(ids)) + ids[len(prompt_ids) :]
            out.append({"input_ids": ids, "labels": labels[: len(ids)]})
        return out

    def batches(items: list[dict[str, Any]], size: int) -> Iterable[dict[str, Any]]:
        for i in range(0, len(items), size):
            chunk = items[i : i + size]
            width = max(len(x["input_ids"]) for x in chunk)
            pad = tokenizer.pad_token_id
            yield {
                "input_ids": torch.tensor([x["input_ids"] + [pad] * (width - len(x["input_ids"])) for x in chunk]),
                "attention_mask": torch.tensor(
                    [[1] * len(x["input_ids"]) + [0] * (width - len(x["input_ids"])) for x in chunk]
                ),
                "labels": torch.tensor([x["labels"] + [-100] * (width - len(x["labels"])) for x in chunk]),
            }

    train_items = encode(train_set)
    eval_items = encode(eval_set)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.learning_rate)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / max(1, args.steps // 10)) * max(0.0, 1 - step / args.steps)
    )
    model_device = next(model.parameters()).device

    def evaluate() -> float:
        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for batch in batches(eval_items, args.batch_size):
                batch = {k: v.to(model_device) for k, v in batch.items()}
                total += float(model(**batch).loss) * batch["input_ids"].shape[0]
                count += batch["input_ids"].shape[0]
        model.train()
        return total / max(1, count)

    model.train()
    step, last_loss, eval_loss = 0, math.nan, math.nan
    generator = torch.Generator().manual_seed(args.seed)
    while step < args.steps:
        order = torch.randperm(len(train_items), generator=generator).tolist()
        for batch in batches([train_items[i] for i in order], args.batch_size):
            batch = {k: v.to(model_device) for k, v in batch.items()}
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            last_loss = float(loss)
            emit({"event": "step", "step": step, "loss": round(last_loss, 5), "learning_rate": scheduler.get_last_lr()[0]})
            if step % args.eval_every == 0 or step == args.steps:
                eval_loss = evaluate()
                emit({"event": "eval", "step": step, "eval_loss": round(eval_loss, 5)})
            if step >= args.steps:
                break

    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output)
    tokenizer.save_pretrained(output)

    def generate(disable_adapter: bool) -> list[str]:
        model.eval()
        texts = []
        for messages in eval_set:
            prompt = render_chat(messages[:-1], tokenizer, add_generation_prompt=True)
            ids = tokenizer(prompt, return_tensors="pt").to(model_device)
            with torch.no_grad():
                if disable_adapter:
                    with model.disable_adapter():
                        out = model.generate(**ids, max_new_tokens=args.max_new_tokens, do_sample=False)
                else:
                    out = model.generate(**ids, max_new_tokens=args.max_new_tokens, do_sample=False)
            texts.append(tokenizer.decode(out[0][ids["input_ids"].shape[1] :], skip_special_tokens=True).strip())
        return texts

    metrics = {
        "train_loss": round(last_loss, 5),
        "eval_loss": round(eval_loss, 5),
        "duration_seconds": round(time.time() - started, 3),
        "samples": len(train_set),
        "steps": step,
        "quantization": quant,
        "generations": generate(disable_adapter=False),
        "base_generations": generate(disable_adapter=True),
    }
    Path(args.metrics_file).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    emit(
        {
            "event": "done",
            "train_loss": metrics["train_loss"],
            "eval_loss": metrics["eval_loss"],
            "duration_seconds": metrics["duration_seconds"],
            "samples": metrics["samples"],
        }
    )
    return metrics


def main(argv: Iterable[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        load_chat_jsonl(args.train)
        load_chat_jsonl(args.eval)
    except (OSError, ValueError) as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 2
    missing = [m for m in ("torch", "transformers", "peft") if importlib.util.find_spec(m) is None]
    if missing:
        print(
            f"train.py: missing Python packages: {', '.join(missing)} (pip install -r trainers/lora/requirements.txt)",
            file=sys.stderr,
        )
        return 3
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
