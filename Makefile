# The two set-up commands: `make demo` (the quickstart against the local
# emulator, with the real terraform) and `make test` (what CI runs).

TERRAFORM = $(shell scripts/terraform.sh)
export TERRAFORM
# The version, from Cargo.toml alone: its first `version = ` is the package's.
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)

.PHONY: peers opentofu demo test build lint docs bench profile release soak install dev clean sdk-check

build:
	cargo build --bins

demo: build
	scripts/demo.sh

test:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	python3 scripts/architecture.py
	cargo test --no-fail-fast
	scripts/test-opentofu.sh

# The peers the tests also run against, built into .tools/ from their Go
# modules (several minutes each the first time): OpenTofu 1.11 (`make test`
# then runs the end-to-end tests under it too), Ory Kratos v1.3.1 and Ory
# Hydra v2.3.0 (the self-hosted tests run against them). One that cannot be
# built is said SKIPPED, and so are its tests. CI runs this before `make test`.
peers:
	scripts/opentofu.sh >/dev/null || echo "SKIPPED: building OpenTofu (see above); make test runs Terraform alone"
	scripts/ory-server.sh kratos >/dev/null || echo "SKIPPED: building Ory Kratos (see above); its tests say SKIPPED"
	scripts/ory-server.sh hydra >/dev/null || echo "SKIPPED: building Ory Hydra (see above); its tests say SKIPPED"

opentofu:
	scripts/opentofu.sh >/dev/null

# The recovery tests at full size: 10 apply/destroy cycles of 200 look-alike
# objects under 20% faults, and 10 interrupted applies.
soak:
	ORY_SOAK_CYCLES=10 ORY_SOAK_PROJECTS=16 ORY_SOAK_WORKSPACE_KEYS=40 ORY_INTERRUPT_RUNS=10 \
	  cargo test --test tests recovery -- --nocapture --test-threads=1

# Regenerates docs/ from the schemas and examples/.
docs:
	UPDATE_DOCS=1 cargo test --test tests docs

bench:
	cargo build --release --bins --example terraform-provider-echo
	python3 scripts/bench.py
	python3 scripts/emulator_writes.py

# Ory's generated Python SDK (ory-client, from PyPI) against the emulator's
# project API; installed into .tools/sdk, kept out of make test.
sdk-check:
	cargo build --bin ory-console-emulator
	test -x .tools/sdk/bin/python || python3 -m venv .tools/sdk
	.tools/sdk/bin/pip install -q 'ory-client==1.22.87'
	.tools/sdk/bin/python scripts/sdk_check.py

# Where the provider's CPU goes in an apply and a refresh of each case of
# make bench (console objects, the data plane, relationships, actions), with perf.
profile:
	cargo build --profile profiling --bin terraform-provider-ory --bin ory-console-emulator
	python3 scripts/provider_profile.py

# dist/: the provider's zip, manifest and SHA256SUMS as the Registry expects,
# and the emulator's archive (docs/releasing.md).
release:
	python3 scripts/release.py

# Installs the provider where Terraform finds it without any CLI config
# (its implied local mirror), for `source = "terraform.local/ory/ory"`, and
# as a command (`terraform-provider-ory adopt`) in BINDIR.
BINDIR ?= $(HOME)/.local/bin
install:
	cargo build --release --bin terraform-provider-ory
	dir="$$HOME/.terraform.d/plugins/terraform.local/ory/ory/$(VERSION)/linux_amd64"; \
	  mkdir -p "$$dir" && cp target/release/terraform-provider-ory "$$dir/terraform-provider-ory_v$(VERSION)"
	mkdir -p "$(BINDIR)" && cp target/release/terraform-provider-ory "$(BINDIR)/terraform-provider-ory"
	@echo "Installed $(VERSION). A working directory whose .terraform.lock.hcl locked an earlier build of"
	@echo "$(VERSION) now fails its checksum: delete that lock file and run terraform init there again."
	@echo "To try changes without installing (and without lock files), use make dev."
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) echo "$(BINDIR) is not on PATH: export PATH=\"$(BINDIR):\$$PATH\" to run terraform-provider-ory adopt.";; esac

# The development loop: Terraform runs the provider in target/debug directly
# (dev_overrides), so a rebuild takes effect at once and no lock file or
# installed version is touched. Prints the lines that point a shell at it
# (Terraform, and the command `terraform-provider-ory adopt`), and at a
# terraform when none is on PATH (scripts/terraform.sh installs one). DEV_BIN names binaries built already (the tests' own: a build here
# would swap them under the tests running beside), and skips the build.
dev:
	@if [ -z "$(DEV_BIN)" ]; then cargo build --bins; fi
	@mkdir -p .tools
	@printf 'provider_installation {\n  dev_overrides {\n    "terraform.local/ory/ory" = "%s"\n  }\n  direct {}\n}\n' "$(or $(DEV_BIN),$(CURDIR)/target/debug)" > .tools/dev.tfrc
	@echo "export TF_CLI_CONFIG_FILE=$$PWD/.tools/dev.tfrc"
	@printf 'export PATH="%s:$$PATH"\n' "$(or $(DEV_BIN),$(CURDIR)/target/debug)"
	@command -v terraform >/dev/null 2>&1 || printf 'export PATH="%s:$$PATH"\n' "$$(dirname "$$(scripts/terraform.sh)")"

clean:
	cargo clean
	rm -rf .tools dist
