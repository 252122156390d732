"""Tests of the LoRA trainer. The end-to-end test needs torch, transformers, peft and tokenizers and is skipped
cleanly without them (CI machines have no PyTorch); the rest runs anywhere."""
from __future__ import annotations

import importlib.util
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import train  # noqa: E402

HEAVY = ("torch", "transformers", "peft", "tokenizers")
have_stack = all(importlib.util.find_spec(m) is not None for m in HEAVY)

SAMPLES = [
    "Summary:\n- Follow-up for blood pressure management.\nPlan:\n- Continue the current medications.\nFollow-up:\n- Return in 3 months.",
    "Summary:\n- Annual wellness visit.\nPlan:\n- Bill the visit as a preventive service.\nFollow-up:\n- Annual visit next year.",
    "Summary:\n- Evaluation of right knee pain.\nPlan:\n- Submit the prior authorization request.\nFollow-up:\n- Recheck in 2 weeks.",
]


def write_jsonl(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for text in texts:
            record = {
                "messages": [
                    {"role": "system", "content": "You draft administrative documentation."},
                    {"role": "user", "content": "Write the visit summary in your usual style."},
                    {"role": "assistant", "content": text},
                ]
            }
            f.write(json.dumps(record) + "\n")
    return path


def base_args(tmp_path: Path, *extra: str) -> list[str]:
    train_file = write_jsonl(tmp_path / "train.jsonl", SAMPLES * 2)
    eval_file = write_jsonl(tmp_path / "eval.jsonl", SAMPLES[:1])
    return [
        "--train", str(train_file), "--eval", str(eval_file), "--output", str(tmp_path / "adapter"),
        "--metrics-file", str(tmp_path / "adapter" / "metrics.json"), "--base-model", "base", *extra,
    ]


def test_arguments_have_defaults_and_are_checked(tmp_path: Path) -> None:
    args = train.parse_args(base_args(tmp_path, "--target-modules", "q_proj, v_proj"))
    assert (args.r, args.alpha, args.dropout, args.steps) == (16, 32, 0.05, 200)
    assert args.target_modules == ["q_proj", "v_proj"]
    with redirect_stderr(io.StringIO()), pytest.raises(SystemExit):
        train.parse_args(base_args(tmp_path, "--r", "0"))
    with redirect_stderr(io.StringIO()), pytest.raises(SystemExit):
        train.parse_args(base_args(tmp_path, "--dropout", "1.5"))


def test_chat_jsonl_is_read_and_malformed_lines_are_named(tmp_path: Path) -> None:
    conversations = train.load_chat_jsonl(write_jsonl(tmp_path / "ok.jsonl", SAMPLES))
    assert len(conversations) == 3
    assert conversations[0][-1]["role"] == "assistant"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"messages": [{"role": "user", "content": "hi"}]}\n{not json}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: the last message must be the assistant's"):
        train.load_chat_jsonl(bad)


def test_chat_layout_without_a_template() -> None:
    text = train.render_chat(
        [{"role": "user", "content": "Write it."}, {"role": "assistant", "content": "Done."}]
    )
    assert text == "<|user|>\nWrite it.\n<|assistant|>\nDone.\n"
    assert train.render_chat([{"role": "user", "content": "x"}], add_generation_prompt=True).endswith("<|assistant|>\n")


def test_quantization_falls_back_without_bitsandbytes() -> None:
    if importlib.util.find_spec("bitsandbytes") is None:
        assert train.quantization_mode("auto") == "none"
        with pytest.raises(SystemExit):
            train.quantization_mode("4bit")
    assert train.quantization_mode("none") == "none"


@pytest.mark.skipif(have_stack, reason="the training stack is installed")
def test_main_explains_missing_packages(tmp_path: Path) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        assert train.main(base_args(tmp_path)) == 3
    assert "missing Python packages" in err.getvalue()


@pytest.mark.skipif(not have_stack, reason="needs torch, transformers, peft and tokenizers")
def test_trains_a_tiny_model_end_to_end(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    words = sorted({w for s in SAMPLES for w in s.replace("\n", " ").split()} | {"<|user|>", "<|assistant|>", "<|system|>"})
    vocab = {"[PAD]": 0, "[UNK]": 1, "</s>": 2, **{w: i + 3 for i, w in enumerate(words)}}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]", eos_token="</s>")
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=256)
    base = tmp_path / "base"
    LlamaForCausalLM(config).save_pretrained(base)
    tokenizer.save_pretrained(base)

    argv = base_args(tmp_path, "--steps", "6", "--eval-every", "3", "--r", "4", "--alpha", "8",
                     "--quantization", "none", "--max-new-tokens", "8", "--batch-size", "2")
    argv[argv.index("--base-model") + 1] = str(base)
    out = io.StringIO()
    with redirect_stdout(out):
        assert train.main(argv) == 0
    events = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    assert [e["step"] for e in events if e["event"] == "step"] == [1, 2, 3, 4, 5, 6]
    assert [e["step"] for e in events if e["event"] == "eval"] == [3, 6]
    assert events[-1]["event"] == "done" and events[-1]["samples"] == 6
    adapter = tmp_path / "adapter"
    assert json.loads((adapter / "adapter_config.json").read_text())["r"] == 4
    assert (adapter / "adapter_model.safetensors").exists()
    metrics = json.loads((adapter / "metrics.json").read_text())
    assert len(metrics["generations"]) == 1 and len(metrics["base_generations"]) == 1
