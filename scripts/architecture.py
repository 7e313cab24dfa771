#!/usr/bin/env python3
"""Checks the shape of src/ that issue 37 asks for, and prints what breaks it.

- import loops between source files, with re-exports (`pub use`) resolved to
  the file that defines the name;
- imports that go up the layers (text, api_enum, secrets < http < console,
  project_api < provider; plugin < provider; inside the provider, the
  framework < the resources < the registry < adopt, docs) or across them
  (the emulator shares nothing with the clients);
- files over 450 lines and functions over 80 lines, outside tests.

Test code (`tests.rs`, `testbed.rs`, `#[cfg(test)]` modules) is left out.
`--report` prints every finding and exits 0; otherwise it exits 1 on any.
"""

import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
MAX_FILE_LINES = 450
MAX_FN_LINES = 80
# A module may import those of a lower rank, or its own layer.
RANK = {"text": 0, "api_enum": 0, "secrets": 1, "http": 2, "console": 3, "project_api": 3, "plugin": 2, "provider": 4,
        "emulator": 3, "proto": 0}
# Layers that must not see each other though neither is above the other.
APART = {("console", "project_api"), ("project_api", "console"), ("emulator", "console"), ("emulator", "http"),
         ("emulator", "project_api"), ("emulator", "provider"), ("emulator", "plugin"),
         ("console", "plugin"), ("project_api", "plugin"), ("http", "plugin"), ("plugin", "http"),
         ("console", "emulator"), ("project_api", "emulator"), ("plugin", "emulator")}
TEST_FILES = ("tests.rs", "testbed.rs")
# Inside the provider: the framework, the resources on it, the registry
# (provider/mod.rs) and what reads the registry (adopt, docs).
PROVIDER_RANK = {"framework": 0, "console": 1, "document": 1, "project_api": 1, "data_sources": 1,
                 "": 2, "adopt": 3, "docs": 3}


def provider_part(module):
    return module[1] if len(module) > 1 else ""


def module_files():
    """Module path (tuple) -> file, for every source file of the library."""
    files = {}
    for root, _, names in os.walk(SRC):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.relpath(os.path.join(root, name), SRC)
            parts = path[:-3].split(os.sep)
            if parts[0] in ("bin", "main"):
                continue
            if parts[-1] == "mod" or parts == ["lib"]:
                parts = parts[:-1]
            files[tuple(parts)] = path
    return files


def strip_tests(text):
    """The text without `#[cfg(test)]` items (a module or a function)."""
    out, i = [], 0
    while True:
        j = text.find("#[cfg(test)]", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j])
        k = text.find("\n", j)
        line_end = text.find("\n", k + 1)
        item = text[k + 1:line_end]
        if item.rstrip().endswith(";"):
            i = line_end + 1
            continue
        i = skip_block(text, text.find("{", k))


def code_only(text, keep_strings=False):
    """`text` with comments, strings and chars blanked; line breaks kept."""
    out, i, n = [], 0, len(text)
    blank = lambda chunk: re.sub(r"[^\n]", " ", chunk)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i)
            j = n if j < 0 else j + 2
        elif m := re.compile(r'b?r(#*)"').match(text, i):
            if i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
                out.append(c)
                i += 1
                continue
            close = '"' + m.group(1)
            j = text.find(close, m.end())
            j = n if j < 0 else j + len(close)
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
        elif m := re.compile(r"'(?:\\.[^']*|[^\\'])'").match(text, i):
            j = m.end()
        else:
            out.append(c)
            i += 1
            continue
        comment = text.startswith("//", i) or text.startswith("/*", i)
        out.append(blank(text[i:j]) if comment or not keep_strings else text[i:j])
        i = j
    return "".join(out)


def skip_block(text, start):
    """The index after the block whose `{` is at `start`."""
    depth = 0
    code = code_only(text[start:])
    for n, ch in enumerate(code):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return start + n + 1
    return len(text)


def use_paths(text):
    """Every `a::b::c` path a file names through `use` or in its code."""
    paths = []
    # A `pub use` re-exports: what it names is followed from its users.
    for tree in re.findall(r"(?<!pub )(?<!\) )\buse\s+([^;]+);", text):
        paths.extend(parts[:-1] + [parts[-1].split("@")[0]] for parts in expand(compact(tree)))
    # Paths in code; a `use` tree's prefix (`crate::a::{`) is no path.
    code = re.sub(r"\bpub(?:\([^)]*\))?\s+use\s+[^;]+;", "", text)
    for path in re.findall(r"\b((?:crate|super)(?:::\w+)+)(?!\w|::)", code):
        paths.append(path.split("::"))
    return paths


def compact(tree):
    """A `use` tree without whitespace, `a as b` written `a@b`."""
    return re.sub(r"\s+", "", re.sub(r"\s+as\s+", "@", tree))


def expand(tree):
    """`a::{b,c::{d}}` -> [[a,b],[a,c,d]]."""
    if "{" not in tree:
        return [tree.split("::")]
    head, rest = tree.split("{", 1)
    inner = rest[: rest.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    prefix = [p for p in head.rstrip(":").split("::") if p]
    return [prefix + sub for part in parts if part for sub in expand(part)]


def reexports(files, texts):
    """(module, name) -> where the name is defined, from the module's `use` lines."""
    found = {}
    for module, path in files.items():
        # A child sees its parent's private `use` too (`super::Name`).
        for tree in re.findall(r"\buse\s+([^;]+);", texts[path]):
            for parts in expand(compact(tree)):
                target = absolute(module, parts[:-1])
                if target is not None:
                    name, _, alias = parts[-1].partition("@")
                    found[(module, alias or name)] = target + (name,)
    return found


def absolute(module, parts):
    """A path as it is written in `module`'s file, made absolute (no crate)."""
    base = list(module)
    if not parts:
        return tuple(base)
    if parts[0] == "crate":
        return tuple(parts[1:])
    if parts[0] in ("self",):
        return tuple(base + parts[1:])
    if parts[0] == "super":
        up = base
        while parts and parts[0] == "super":
            up = up[:-1]
            parts = parts[1:]
        return tuple(up + parts)
    if tuple(base + [parts[0]]) in FILES:
        return tuple(base + parts)
    return None


def resolve(path, files, exports, depth=0):
    """The file a path lands in, following re-exports."""
    path = tuple(path)
    for n in range(len(path), 0, -1):
        prefix = path[:n]
        if prefix in files:
            if n < len(path) and (prefix, path[n]) in exports and depth < 10:
                target = exports[(prefix, path[n])]
                if target[:-1] != prefix:
                    return resolve(target[:-1] + target[-1:] + path[n + 1:], files, exports, depth + 1)
            return prefix
    return None


def loops(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def long_functions(path, text):
    code = code_only(text)
    lines = code.split("\n")
    found = []
    for n, line in enumerate(lines):
        m = re.match(r"\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)", line)
        if not m:
            continue
        offset = sum(len(l) + 1 for l in lines[:n])
        brace = code.find("{", offset)
        semi = code.find(";", offset)
        if brace < 0 or (0 <= semi < brace):
            continue
        end = skip_block(code, brace)
        length = code[offset:end].count("\n") + 1
        if length > MAX_FN_LINES:
            found.append(f"{path}: fn {m.group(1)} over {MAX_FN_LINES} lines ({length}, line {n + 1})")
    return found


def main():
    report = "--report" in sys.argv
    global FILES
    FILES = module_files()
    texts = {}
    for path in FILES.values():
        with open(os.path.join(SRC, path)) as f:
            texts[path] = strip_tests(f.read())
    exports = reexports(FILES, texts)
    graph, upward = {}, []
    for module, path in FILES.items():
        if os.path.basename(path) in TEST_FILES:
            continue
        for parts in use_paths(code_only(texts[path], keep_strings=True)):
            if parts[-1] == "self":
                continue  # a module named, not an item; its uses are not followed
            target_path = absolute(module, parts)
            if target_path is None:
                continue
            target = resolve(target_path, FILES, exports)
            if target is None or target == module or not module or not target:
                continue
            graph.setdefault(module, set()).add(target)
            a, b = module[0], target[0]
            if a != b and (RANK.get(b, 0) > RANK.get(a, 0) or (a, b) in APART):
                upward.append(f"{path} imports {'::'.join(target)} ({a} -> {b})")
            elif a == b == "provider" and PROVIDER_RANK[provider_part(target)] > PROVIDER_RANK[provider_part(module)]:
                upward.append(f"{path} imports {'::'.join(target)} (up the provider's layers)")
    findings = []
    for comp in loops(graph):
        findings.append("import loop: " + " <-> ".join("::".join(m) for m in comp))
    findings.extend(sorted(set(upward)))
    for module, path in sorted(FILES.items(), key=lambda kv: kv[1]):
        if os.path.basename(path) in TEST_FILES:
            continue
        with open(os.path.join(SRC, path)) as f:
            whole = f.read()
        lines = whole.count("\n")
        if lines > MAX_FILE_LINES:
            findings.append(f"{path}: over {MAX_FILE_LINES} lines ({lines})")
        findings.extend(long_functions(path, texts[path]))
    for line in findings:
        print(line)
    kinds = {
        "import loops": sum(f.startswith("import loop") for f in findings),
        "upward imports": len(set(upward)),
        f"files over {MAX_FILE_LINES} lines": sum(": over " in f for f in findings),
        f"functions over {MAX_FN_LINES} lines": sum(": fn " in f for f in findings),
    }
    print("; ".join(f"{v} {k}" for k, v in kinds.items()))
    sys.exit(0 if report or not findings else 1)


FILES = {}

if __name__ == "__main__":
    main()
