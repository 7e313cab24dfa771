//! A store kept on disk (`--state`): a snapshot plus a journal of the
//! objects each write changed, fsynced before the write is answered.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Entry, Store};

/// The journal is folded into the snapshot when it is larger than the
/// snapshot and than this, so that folding costs a bounded share of writes.
const MIN_JOURNAL_TO_FOLD: u64 = 1 << 20;

/// A store's files: `<state>` (the snapshot) and `<state>.log` (the journal).
/// Both are created readable by their owner only: they hold every key.
pub struct Disk {
    snapshot: PathBuf,
    journal: std::fs::File,
    journal_bytes: u64,
    snapshot_bytes: u64,
}

/// Opens a state file for writing, never through a symbolic link (which
/// could point the emulator's writes at any file), and readable by its
/// owner only, even when it existed before with wider rights.
fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut options = std::fs::OpenOptions::new();
    options.create(true).mode(0o600).custom_flags(libc::O_NOFOLLOW);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    let file = options.open(path).map_err(|e| refused_link(path, e))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// Reads a state file, never through a symbolic link.
fn read_private(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| refused_link(path, e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn refused_link(path: &Path, e: std::io::Error) -> std::io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) {
        std::io::Error::other(format!("{} is a symbolic link; the emulator's state files must not be", path.display()))
    } else {
        std::io::Error::other(format!("{}: {e}", path.display()))
    }
}

/// The file beside `path` named `path` plus `suffix`: never `path` itself,
/// whatever `path` ends in (`--state x.tmp` once wrote its snapshot over
/// itself).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Disk {
    /// Opens the state at `path`: the snapshot with its journal replayed, or
    /// `fresh` when there is none; then folds the journal in. A journal
    /// line that cannot be read stops the start with its number: the lines
    /// after it were answered, so skipping it, or truncating there, would
    /// lose them. Only a last line without its line break (a write cut
    /// short by a kill, never answered) is left out.
    pub fn open(path: &Path, fresh: impl FnOnce() -> Store) -> anyhow::Result<(Store, Disk)> {
        let journal_path = beside(path, ".log");
        let mut store = match read_private(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{} is not an emulator state file: {e}", path.display()))?,
            Err(_) if !path.exists() && path.symlink_metadata().is_err() => fresh(),
            Err(e) => return Err(e.into()),
        };
        let journal = match read_private(&journal_path) {
            Ok(bytes) => bytes,
            Err(_) if journal_path.symlink_metadata().is_err() => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let complete = journal.iter().rposition(|b| *b == b'\n').map_or(0, |end| end + 1);
        for (number, line) in journal[..complete].split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let unreadable = |e: serde_json::Error| {
                anyhow::anyhow!(
                    "line {} of {} cannot be read ({e}). The emulator stops rather than lose the writes after it; nothing was changed. Move both state files aside to start afresh.",
                    number + 1,
                    journal_path.display()
                )
            };
            let entry = serde_json::from_slice::<Entry>(line).map_err(unreadable)?;
            store.apply(entry).map_err(unreadable)?;
        }
        let journal = private_file(&journal_path, true)?;
        let mut disk = Disk { snapshot: path.to_path_buf(), journal, journal_bytes: 0, snapshot_bytes: 0 };
        store.take_changes();
        store.measure();
        disk.fold(&store)?;
        Ok((store, disk))
    }

    /// Makes the changes since the last save durable: one journal line,
    /// fsynced; now and then, a new snapshot.
    pub fn save(&mut self, store: &mut Store) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&store.take_changes()).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.journal.write_all(&line)?;
        self.journal.sync_data()?;
        self.journal_bytes += line.len() as u64;
        if self.journal_bytes > self.snapshot_bytes.max(MIN_JOURNAL_TO_FOLD) {
            self.fold(store)?;
        }
        Ok(())
    }

    /// Writes the whole store as the new snapshot, then empties the
    /// journal. A kill between the two leaves a journal whose entries the
    /// new snapshot already holds; replaying them on it changes nothing.
    fn fold(&mut self, store: &Store) -> std::io::Result<()> {
        let tmp = beside(&self.snapshot, ".tmp");
        let bytes = serde_json::to_vec(store).map_err(std::io::Error::other)?;
        {
            let mut f = private_file(&tmp, false)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.snapshot)?;
        if let Some(dir) = self.snapshot.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        // Opened to append, the journal's next line goes at its new end: 0.
        self.journal.set_len(0)?;
        self.journal.sync_all()?;
        self.journal_bytes = 0;
        self.snapshot_bytes = bytes.len() as u64;
        Ok(())
    }
}
