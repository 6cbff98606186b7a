# Release packages a user installs into their own project (owned by the packaging):
#
#   make dist        the release wheel (abi3, CPython 3.9+, manylinux) and the npm tarball
#                    (`npm pack` of a staging folder: the loader, the types, the release .node
#                    and bindings-node/lib, with the Node package's own README) into dist/
#   make test-dist   installs both from dist/ into a fresh venv and an empty npm project in a
#                    temporary folder, the way the README says, and makes one call each against
#                    the sandbox the packages carry (part of `make test`)
#
# The wheel is built by maturin in its own target dir (target/maturin, as `make python-dev`);
# the .node by napi into target/napi-release.

DIST := dist
NPM_STAGE := target/npm-stage
NAPI_RELEASE := target/napi-release
# The one tool the wheel needs: maturin, in a venv of its own (not the test toolchain).
BUILD_VENV := target/build-venv
MATURIN_PIN := $(shell grep '^maturin==' tests/python/requirements.txt)

.PHONY: dist dist-python dist-node test-dist

dist: dist-python dist-node

$(BUILD_VENV)/bin/maturin: tests/python/requirements.txt
	@echo "==> Installing $(MATURIN_PIN) into $(BUILD_VENV) (the wheel's only build tool)"
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/pip install --quiet --disable-pip-version-check $(MATURIN_PIN)
	@touch $@

## The release wheel into dist/.
dist-python: $(BUILD_VENV)/bin/maturin
	@echo "==> Building the Python wheel (release; about 2 minutes on 2 cores the first time)"
	@mkdir -p $(DIST)
	@rm -f $(DIST)/ibanera-*.whl
	CARGO_TARGET_DIR=$(PY_TARGET_DIR) $(BUILD_VENV)/bin/maturin build --release --out $(DIST)
	@ls $(DIST)/ibanera-*.whl

## The npm tarball into dist/.
dist-node: node-deps
	@echo "==> Building the Node package (release; about 2 minutes on 2 cores the first time)"
	@mkdir -p $(DIST)
	$(NODE_BIN)/napi build $(NAPI_FLAGS) --release --output-dir $(NAPI_RELEASE)
	rm -rf $(NPM_STAGE) && mkdir -p $(NPM_STAGE)/bindings-node
	cp $(NAPI_RELEASE)/ibanera.*.node $(NAPI_RELEASE)/index.js $(NAPI_RELEASE)/index.d.ts $(NPM_STAGE)/
	cp -R bindings-node/lib $(NPM_STAGE)/bindings-node/
	cp bindings-node/README.md $(NPM_STAGE)/README.md
	$(NODE) bindings-node/scripts/package-json.mjs package.json > $(NPM_STAGE)/package.json
	@rm -f $(DIST)/ibanera-*.tgz
	cd $(NPM_STAGE) && $(NPM) pack --silent --pack-destination $(abspath $(DIST))
	@ls $(DIST)/ibanera-*.tgz

## Install both packages from dist/ into clean folders and make a call with each.
test-dist: dist
	bash tests/dist/install.sh $(DIST)
