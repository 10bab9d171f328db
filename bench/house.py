"""Shape of the house: module sizes, longest functions, `Any` parameters, loader→loader imports, part() IRIs.

    python bench/house.py ROOT OUT.json      # ROOT: a checkout (e.g. `git worktree add /tmp/old REV`)
"""
import ast
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
pkgs = ["ontology", "loaders", "graph", "api"]
files = [p for k in pkgs for p in (root / k).rglob("*.py")]
sizes = {str(p.relative_to(root)): len(p.read_text().splitlines()) for p in files}
funcs = []
any_params = 0
for p in files:
    tree = ast.parse(p.read_text())
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            funcs.append((n.end_lineno - n.lineno + 1, f"{p.relative_to(root)}:{n.lineno} {n.name}"))
            for a in n.args.args + n.args.kwonlyargs:
                if a.annotation is not None and ast.unparse(a.annotation) == "Any":
                    any_params += 1
funcs.sort(reverse=True)
# loader → loader imports
loader_mods = {}
for p in (root / "loaders").rglob("*.py"):
    rel = p.relative_to(root / "loaders")
    top = rel.parts[0].removesuffix(".py")
    src = p.read_text()
    for m in re.finditer(r"^\s*from (\.+)?([\w.]*) import ([^\n(]+|\([^)]*\))", src, re.M):
        dots, mod, names = m.group(1) or "", m.group(2), m.group(3)
        if (dots == "." and len(rel.parts) == 1) or dots == ".." :
            targets = [mod.split(".")[0]] if mod else [x.strip().split(" ")[0] for x in names.strip("()").split(",")]
        elif mod.startswith("loaders."):
            targets = [mod.split(".")[1]]
        else:
            continue
        for tgt in targets:
            if tgt and tgt != top:
                loader_mods.setdefault(top, set()).add(tgt)
part_calls = sum(len(re.findall(r"\.part\(", p.read_text())) for p in (root / "loaders").rglob("*.py"))
redecl = sum(len(re.findall(r"^(TYPE|DERIVED|P) = ", p.read_text(), re.M)) for p in (root / "loaders").rglob("*.py"))
sparql_fstr = 0
for p in files:
    s = p.read_text()
    sparql_fstr += len(re.findall(r'f"""[^"]*?(SELECT|CONSTRUCT|ASK|INSERT|DELETE|DESCRIBE)', s))
out = {"over_1000_lines": {k: v for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]) if v > 1000},
       "largest": sorted(sizes.items(), key=lambda kv: -kv[1])[:12],
       "total_lines": sum(sizes.values()), "modules": len(sizes),
       "longest_functions": funcs[:12], "any_params": any_params,
       "loader_imports": {k: sorted(v) for k, v in sorted(loader_mods.items())},
       "minter_part_calls_in_loaders": part_calls, "redeclared_TYPE_DERIVED_P": redecl,
       "sparql_triple_quoted_fstrings": sparql_fstr}
json.dump(out, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
print(json.dumps(out, indent=1, ensure_ascii=False))
