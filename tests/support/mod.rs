//! The end-to-end harness: a fresh emulator per test, and the real
//! `terraform` run in a temporary directory with the provider installed from
//! a local filesystem mirror, exactly as a user would install it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub mod hostile;
pub mod peers;

pub const PROVIDER_SOURCE: &str = "terraform.local/ory/ory";

/// The blocks every configuration of a test starts with: this provider,
/// configured from the environment.
pub const PROVIDER_BLOCKS: &str =
    "terraform {\n  required_providers {\n    ory = { source = \"terraform.local/ory/ory\" }\n  }\n}\n\nprovider \"ory\" {}\n";
const PROVIDER_VERSION: &str = "0.1.0";

pub fn provider_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-ory"))
}

pub fn emulator_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ory-console-emulator"))
}

/// The echo provider (`tests/echo_provider`), built by cargo as an example.
pub fn echo_provider_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/tests-<hash> -> target/<profile>/examples/
    exe.parent().and_then(Path::parent).unwrap().join("examples/terraform-provider-echo")
}

/// The terraform binary: `$TERRAFORM` (the Makefile sets it), else PATH.
pub fn terraform_bin() -> String {
    std::env::var("TERRAFORM").ok().filter(|t| !t.is_empty()).unwrap_or_else(|| "terraform".to_string())
}

/// The Terraform version whose features the binary the tests use has. For
/// OpenTofu, the Terraform it matches: import blocks and generated
/// configuration from 1.6, but ephemeral resources (Terraform 1.10) and
/// write-only attributes (1.11) only from OpenTofu 1.11.
pub fn terraform_version() -> (u32, u32) {
    let out = Command::new(terraform_bin()).arg("version").output().expect("run terraform version");
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    let numbers = |v: &str| {
        let mut parts = v.split(['.', '-']).map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    if let Some(v) = first.strip_prefix("OpenTofu v") {
        return match numbers(v) {
            tofu if tofu >= (1, 11) => (1, 11),
            tofu => tofu.min((1, 9)),
        };
    }
    numbers(first.strip_prefix("Terraform v").unwrap_or("0.0"))
}

/// Starts `cmd` with stdout piped and returns it with its first line.
pub fn spawn_first_line(cmd: &mut Command) -> (Spawned, String) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().expect("start the process");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read its first line");
    (Spawned(Some(child)), line)
}

/// A child process killed when dropped, so that a test failing halfway
/// leaves no process behind (one would hold the test run's output open).
pub struct Spawned(Option<Child>);

impl Spawned {
    /// The process, no longer killed on drop: its new owner stops it.
    pub fn into_inner(mut self) -> Child {
        self.0.take().expect("a spawned process")
    }
}

impl std::ops::Deref for Spawned {
    type Target = Child;
    fn deref(&self) -> &Child {
        self.0.as_ref().expect("a spawned process")
    }
}

impl std::ops::DerefMut for Spawned {
    fn deref_mut(&mut self) -> &mut Child {
        self.0.as_mut().expect("a spawned process")
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// A running `ory-console-emulator`, stopped on drop.
pub struct Emulator {
    child: Spawned,
    pub url: String,
    pub workspace_id: String,
    pub key: String,
    http: reqwest::blocking::Client,
}

impl Emulator {
    /// An emulator for the tests, which make workspace keys through the
    /// API as teams whose Ory plan allows it do; started without flags
    /// ([`Emulator::start_with`]), it refuses that as Ory does.
    pub fn start() -> Emulator {
        Emulator::start_with(&["--allow-workspace-key-writes"])
    }

    /// An emulator started with these flags besides `--listen`.
    pub fn start_with(flags: &[&str]) -> Emulator {
        let (child, line) =
            spawn_first_line(Command::new(emulator_bin()).args(["--listen", "127.0.0.1:0"]).args(flags));
        let startup: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad startup line {line:?}: {e}"));
        let field =
            |k: &str| startup[k].as_str().unwrap_or_else(|| panic!("startup line lacks {k}: {line}")).to_string();
        Emulator {
            url: field("url"),
            workspace_id: field("workspace_id"),
            key: field("workspace_api_key"),
            child,
            http: reqwest::blocking::Client::new(),
        }
    }

    /// Calls per operationId, from the emulator's admin API.
    pub fn requests(&self) -> BTreeMap<String, u64> {
        self.http.get(format!("{}/__emulator/requests", self.url)).send().unwrap().json().unwrap()
    }

    /// TCP connections the emulator has accepted, counting the one this call
    /// opens: it uses a client of its own, so that the count moves by exactly
    /// one per call plus whatever others opened.
    pub fn connections(&self) -> u64 {
        let answer: serde_json::Value =
            reqwest::blocking::get(format!("{}/__emulator/connections", self.url)).unwrap().json().unwrap();
        answer["accepted"].as_u64().unwrap()
    }

    pub fn count(&self, operation: &str) -> u64 {
        self.requests().get(operation).copied().unwrap_or(0)
    }

    /// An authenticated call to the emulated console API, as another client
    /// (the console, a colleague) would make it. Returns status and body.
    pub fn call(&self, method: reqwest::Method, path: &str) -> (u16, serde_json::Value) {
        let resp = self.http.request(method, format!("{}{path}", self.url)).bearer_auth(&self.key).send().unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().unwrap();
        (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
    }

    /// `call` with a JSON body.
    pub fn send(&self, method: reqwest::Method, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let resp =
            self.http.request(method, format!("{}{path}", self.url)).bearer_auth(&self.key).json(&body).send().unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().unwrap();
        (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
    }

    /// Makes a `dev` project through the API, as the console would; its ID.
    pub fn new_project(&self, name: &str) -> String {
        self.new_project_in(name, "dev")
    }

    /// Makes a project of that environment through the API; its ID.
    pub fn new_project_in(&self, name: &str, environment: &str) -> String {
        let (status, body) = self.send(
            reqwest::Method::POST,
            "/projects",
            serde_json::json!({"name": name, "environment": environment}),
        );
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }

    /// A new API key of project `project`: its value.
    pub fn project_key(&self, project: &str) -> String {
        let (status, body) = self.send(
            reqwest::Method::POST,
            &format!("/projects/{project}/tokens"),
            serde_json::json!({"name": "test"}),
        );
        assert_eq!(status, 201, "{body}");
        body["value"].as_str().unwrap().to_string()
    }

    /// A call to the API of the project with slug `slug`, with `key` (none
    /// when empty): status, `Link` header and body.
    pub fn data_call(
        &self,
        key: &str,
        method: reqwest::Method,
        slug: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, String, serde_json::Value) {
        let mut request = self.http.request(method, format!("{}/project-api/{slug}{path}", self.url));
        if !key.is_empty() {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let resp = request.send().unwrap();
        let status = resp.status().as_u16();
        let link = resp.headers().get("link").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = resp.text().unwrap();
        (status, link, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
    }

    /// A JSON Patch on a project, as another client would send it.
    pub fn patch_project(&self, id: &str, ops: serde_json::Value) {
        let (status, body) = self.send(reqwest::Method::PATCH, &format!("/projects/{id}"), ops);
        assert_eq!(status, 200, "{body}");
    }

    pub fn project(&self, id: &str) -> serde_json::Value {
        let (status, body) = self.call(reqwest::Method::GET, &format!("/projects/{id}"));
        assert_eq!(status, 200, "GET /projects/{id}: {body}");
        body
    }

    /// A call to the emulator's admin API.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> u16 {
        self.http.request(method, format!("{}/__emulator{path}", self.url)).send().unwrap().status().as_u16()
    }

    pub fn reset(&self) {
        self.http.post(format!("{}/__emulator/reset", self.url)).send().unwrap();
    }

    /// Sets the injected faults (`POST /__emulator/faults`); `{"rate": 0}` turns them off.
    pub fn faults(&self, settings: serde_json::Value) {
        let status = self.http.post(format!("{}/__emulator/faults", self.url)).json(&settings).send().unwrap().status();
        assert!(status.is_success(), "setting faults: {status}");
    }

    /// How many faults of each kind were injected since they were last set.
    pub fn injected(&self) -> BTreeMap<String, u64> {
        self.http.get(format!("{}/__emulator/faults", self.url)).send().unwrap().json().unwrap()
    }

    /// The IDs of every live object, per resource type, from the emulator's
    /// own listing (`GET /__emulator/objects`, never faulted).
    pub fn objects(&self) -> BTreeMap<String, Vec<String>> {
        let all: serde_json::Value =
            self.http.get(format!("{}/__emulator/objects", self.url)).send().unwrap().json().unwrap();
        KINDS
            .iter()
            .map(|(resource, kind)| {
                let ids = all[kind].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string());
                (resource.to_string(), ids.collect())
            })
            .collect()
    }
}

/// Each resource type, and the emulator's name for its objects.
pub const KINDS: [(&str, &str); 7] = [
    ("ory_workspace", "workspaces"),
    ("ory_project", "projects"),
    ("ory_project_api_key", "project_api_keys"),
    ("ory_workspace_api_key", "workspace_api_keys"),
    ("ory_event_stream", "event_streams"),
    ("ory_oauth2_client", "oauth2_clients"),
    ("ory_identity", "identities"),
];

/// Asserts, through the emulator's own listing, that Terraform's state and
/// the emulator hold the same objects: no two resources with one ID, every ID
/// in state live, and every live object either in state or already there
/// `before`. Returns how many resources of each type the state holds.
pub fn assert_state_is_remote(
    tf: &Tf,
    emulator: &Emulator,
    before: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, usize> {
    let state = tf.state_ids();
    let remote = emulator.objects();
    let mut counts = BTreeMap::new();
    for (resource, _) in KINDS {
        let in_state = state.get(resource).cloned().unwrap_or_default();
        let unique: std::collections::BTreeSet<&String> = in_state.iter().collect();
        assert_eq!(unique.len(), in_state.len(), "{resource}: two resources share an ID: {in_state:?}");
        let live: std::collections::BTreeSet<&String> = remote[resource].iter().collect();
        let old: std::collections::BTreeSet<&String> = before.get(resource).into_iter().flatten().collect();
        let missing: Vec<_> = unique.iter().filter(|id| !live.contains(**id)).collect();
        assert!(missing.is_empty(), "{resource}: in state but not in the emulator: {missing:?}");
        let orphans: Vec<_> = live.iter().filter(|id| !unique.contains(**id) && !old.contains(**id)).collect();
        assert!(orphans.is_empty(), "{resource}: in the emulator but in no resource: {orphans:?}");
        if !in_state.is_empty() {
            counts.insert(resource.to_string(), in_state.len());
        }
    }
    counts
}

/// [`assert_state_is_remote`], and the state holds exactly `expected`.
pub fn assert_exactly(
    tf: &Tf,
    emulator: &Emulator,
    before: &BTreeMap<String, Vec<String>>,
    expected: &[(&str, usize)],
) -> BTreeMap<String, usize> {
    let counts = assert_state_is_remote(tf, emulator, before);
    let want: BTreeMap<String, usize> =
        expected.iter().filter(|(_, n)| *n > 0).map(|(r, n)| (r.to_string(), *n)).collect();
    assert_eq!(counts, want, "resources in state (each checked against the emulator)");
    counts
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Terraform working directory wired to an emulator.
pub struct Tf {
    root: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What `terraform` printed.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Everything printed, with runs of whitespace folded into one space,
    /// since terraform wraps long messages at arbitrary points.
    pub fn text(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr).split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Tf {
    /// A working directory holding the `.tf` files of `tests/fixtures/<fixture>`,
    /// with the Ory provider pointed at `emulator`.
    pub fn new(emulator: &Emulator, fixture: &str) -> Tf {
        Tf::pointed_at(&emulator.url, &emulator.key, fixture)
    }

    /// A working directory with the Ory provider pointed at any server,
    /// such as a [`hostile::Hostile`] one.
    pub fn against(url: &str, fixture: &str) -> Tf {
        Tf::pointed_at(url, "ory_wak_hostile", fixture)
    }

    fn pointed_at(url: &str, key: &str, fixture: &str) -> Tf {
        Tf::with_provider(
            fixture,
            PROVIDER_SOURCE,
            &provider_bin(),
            vec![
                ("ORY_CONSOLE_API_URL".into(), url.to_string()),
                ("ORY_WORKSPACE_API_KEY".into(), key.to_string()),
                ("ORY_PROJECT_API_URL".into(), format!("{url}/project-api/{{slug}}")),
            ],
        )
    }

    /// A new working directory for this provider with `tf`'s environment
    /// (where it points the provider), holding `fixture`.
    pub fn with_env_of(tf: &Tf, fixture: &str) -> Tf {
        let own = ["TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION", "CHECKPOINT_DISABLE"];
        let env = tf.env.iter().filter(|(k, _)| !own.contains(&k.as_str())).cloned().collect();
        Tf::with_provider(fixture, PROVIDER_SOURCE, &provider_bin(), env)
    }

    /// A working directory for the protocol tests' echo provider.
    pub fn echo(fixture: &str) -> Tf {
        Tf::with_provider(fixture, "terraform.local/test/echo", &echo_provider_bin(), Vec::new())
    }

    fn with_provider(fixture: &str, source: &str, binary: &Path, env: Vec<(String, String)>) -> Tf {
        let root = tempfile::tempdir().unwrap();
        let mirror = root.path().join("mirror");
        let plugin_dir = mirror.join(source).join(PROVIDER_VERSION).join("linux_amd64");
        std::fs::create_dir_all(&plugin_dir).unwrap();
        let type_name = source.rsplit('/').next().unwrap();
        std::os::unix::fs::symlink(
            binary,
            plugin_dir.join(format!("terraform-provider-{type_name}_v{PROVIDER_VERSION}")),
        )
        .unwrap();
        Tf::installing_from(root, &mirror, fixture, env)
    }

    /// A working directory whose Ory provider is installed from `mirror`, a
    /// filesystem mirror in either layout, and pointed at `emulator`.
    pub fn from_mirror(emulator: &Emulator, mirror: &Path, fixture: &str) -> Tf {
        let env = vec![
            ("ORY_CONSOLE_API_URL".into(), emulator.url.clone()),
            ("ORY_WORKSPACE_API_KEY".into(), emulator.key.clone()),
        ];
        Tf::installing_from(tempfile::tempdir().unwrap(), mirror, fixture, env)
    }

    fn installing_from(root: tempfile::TempDir, mirror: &Path, fixture: &str, env: Vec<(String, String)>) -> Tf {
        let cli_config = root.path().join("terraform.rc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path = {:?}\n    include = [\"terraform.local/*/*\"]\n  }}\n  direct {{\n    exclude = [\"terraform.local/*/*\"]\n  }}\n}}\n",
                mirror.display().to_string()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(root.path().join("work")).unwrap();
        let mut all_env = vec![
            ("TF_CLI_CONFIG_FILE".to_string(), cli_config.display().to_string()),
            ("TF_IN_AUTOMATION".into(), "1".into()),
            ("CHECKPOINT_DISABLE".into(), "1".into()),
        ];
        all_env.extend(env);
        let tf = Tf { root, env: all_env };
        tf.use_fixture(fixture);
        tf
    }

    /// Adds one file to the configuration.
    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir().join(name), content).unwrap();
    }

    pub fn dir(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// Replaces the configuration with the files of a folder of
    /// `tests/fixtures/`, or of one under `examples/` when named so.
    pub fn use_fixture(&self, fixture: &str) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = if fixture.starts_with("examples/") {
            root.join(fixture)
        } else {
            root.join("tests/fixtures").join(fixture)
        };
        for entry in std::fs::read_dir(self.dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tf") {
                std::fs::remove_file(path).unwrap();
            }
        }
        for entry in std::fs::read_dir(&src).unwrap_or_else(|e| panic!("fixture {}: {e}", src.display())) {
            let path = entry.unwrap().path();
            std::fs::copy(&path, self.dir().join(path.file_name().unwrap())).unwrap();
        }
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.remove_env(key);
        self.env.push((key.into(), value.into()));
    }

    pub fn remove_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// terraform with these arguments in this directory, with this
    /// directory's environment and none of the caller's settings that
    /// would change what a test sees.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform_bin());
        cmd.current_dir(self.dir()).args(args).arg("-no-color");
        for var in [
            "TF_LOG",
            "TF_LOG_PROVIDER",
            "TF_LOG_PATH",
            "ORY_WORKSPACE_ID",
            "ORY_PROJECT_ID",
            "TF_CLI_ARGS",
            "ORY_PROJECT_API_KEY",
            "ORY_PROJECT_SLUG",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        cmd
    }

    /// Runs terraform with these arguments, whatever the outcome.
    pub fn try_run(&self, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        let Output { status, stdout, stderr } = cmd.output().expect("run terraform");
        Run {
            ok: status.success(),
            stdout: String::from_utf8_lossy(&stdout).into(),
            stderr: String::from_utf8_lossy(&stderr).into(),
        }
    }

    /// Runs terraform and fails the test if it fails.
    pub fn run(&self, args: &[&str]) -> Run {
        let run = self.try_run(args);
        assert!(run.ok, "terraform {} failed:\n{}", args.join(" "), run.text());
        run
    }

    pub fn init(&self) {
        self.run(&["init", "-input=false"]);
    }

    /// Plans with these `-var` settings and returns each resource's actions,
    /// e.g. `{"ory_project.p": ["update"]}`. The plan is saved for `apply_saved`.
    pub fn plan(&self, vars: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut args = vec!["plan".to_string(), "-input=false".into(), "-out=tfplan".into()];
        args.extend(vars.iter().map(|(k, v)| format!("-var={k}={v}")));
        self.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        self.saved_plan()["resource_changes"]
            .as_array()
            .map(|changes| {
                changes
                    .iter()
                    .map(|c| {
                        let actions = c["change"]["actions"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|a| a.as_str().unwrap().to_string())
                            .collect();
                        (c["address"].as_str().unwrap().to_string(), actions)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The saved plan, as `terraform show -json` renders it.
    pub fn saved_plan(&self) -> serde_json::Value {
        let shown = self.run(&["show", "-json", "tfplan"]);
        serde_json::from_str(&shown.stdout).unwrap()
    }

    /// Every file of the saved plan `tfplan` (a zip), decompressed, as text:
    /// what a secret must not be found in.
    pub fn saved_plan_files(&self) -> String {
        let out = Command::new("python3")
            .arg("-c")
            .arg("import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist(): sys.stdout.buffer.write(z.read(n))")
            .arg(self.dir().join("tfplan"))
            .output()
            .expect("python3 reads the saved plan");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A plan expected to fail; returns what terraform printed.
    pub fn plan_fails(&self, vars: &[(&str, &str)]) -> String {
        let mut args = vec!["plan".to_string(), "-input=false".into()];
        args.extend(vars.iter().map(|(k, v)| format!("-var={k}={v}")));
        let run = self.try_run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(!run.ok, "plan unexpectedly succeeded:\n{}", run.text());
        run.text()
    }

    pub fn apply_saved(&self) {
        self.run(&["apply", "-input=false", "tfplan"]);
    }

    /// Plans, checks the actions, and applies that plan.
    pub fn apply(&self, vars: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let actions = self.plan(vars);
        self.apply_saved();
        actions
    }

    /// The `id` of every resource instance in state, per resource type.
    pub fn state_ids(&self) -> BTreeMap<String, Vec<String>> {
        let shown = self.run(&["show", "-json"]);
        let state: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
        let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in state["values"]["root_module"]["resources"].as_array().into_iter().flatten() {
            if r["mode"] == "managed" {
                let id = r["values"]["id"].as_str().unwrap_or_else(|| panic!("{} has no id", r["address"]));
                ids.entry(r["type"].as_str().unwrap().to_string()).or_default().push(id.to_string());
            }
        }
        ids
    }

    /// Starts terraform in its own process group, as a terminal runs it, so
    /// that [`interrupt`] reaches it and its providers as Ctrl-C would.
    /// Its output goes to files in the working directory's parent.
    pub fn spawn(&self, args: &[&str]) -> Child {
        use std::os::unix::process::CommandExt;
        let out = std::fs::File::create(self.root.path().join("spawned.out")).unwrap();
        let err = std::fs::File::create(self.root.path().join("spawned.err")).unwrap();
        let mut cmd = self.command(args);
        cmd.process_group(0).stdout(out).stderr(err);
        cmd.spawn().expect("start terraform")
    }

    /// What the last [`spawn`]ed terraform printed.
    pub fn spawned_output(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.root.path().join(name)).unwrap_or_default();
        format!("{}\n{}", read("spawned.out"), read("spawned.err"))
    }

    /// The attribute values of one resource in state.
    pub fn state_of(&self, address: &str) -> serde_json::Value {
        let shown = self.run(&["show", "-json"]);
        let state: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
        state["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
            .unwrap_or_else(|| panic!("{address} is not in state:\n{}", shown.stdout))
    }
}

/// Says plainly that a test is skipped, and why. Written to stderr directly,
/// past the test harness's capture, so that it shows in every run.
pub fn skip(test: &str, reason: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// Asserts that a plan changes nothing.
pub fn assert_no_changes(actions: &BTreeMap<String, Vec<String>>) {
    for (address, a) in actions {
        assert!(a.iter().all(|x| x == "no-op" || x == "read"), "{address} plans {a:?}, expected no changes");
    }
}

pub fn actions(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs.iter().map(|(a, x)| (a.to_string(), x.iter().map(|s| s.to_string()).collect())).collect()
}

/// Ctrl-C: SIGINT to the process group of a [`Tf::spawn`]ed terraform.
pub fn interrupt(child: &Child) {
    let status = Command::new("kill").args(["-INT", "--", &format!("-{}", child.id())]).status().unwrap();
    assert!(status.success(), "kill -INT failed");
}
