"""Packs by name on the command line: ``--pack`` resolution, ``peelcheck packs list`` and ``peelcheck init``."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from peelcheck.cli.faults import report_errors, warn
from peelcheck.cli.scaffold import write_force_repo
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.errors import PeelcheckError
from peelcheck.load.pack_registry import CORE_PACK, find_installed, installed_packs, resolve_pack

BY_OPTION = "--pack"  # how most commands are given their pack
BY_ARGUMENT = "PACK"  # validate's: its argument (`peelcheck validate west-mercia`)


def pack_folder(pack: str | None, profile: Path | None, quiet: bool = False, given_as: str = BY_OPTION) -> Path:
    """The folder a command works on: the pack named (``given_as``: --pack, or validate's PACK argument) as a
    folder or an installed pack's name; without it, the pack the --profile names; else the installed core,
    said on stderr so nobody mistakes it for their own pack."""
    if pack is not None:
        return resolve_pack(pack)
    named = _profile_pack(profile)
    if named is not None:
        folder = resolve_pack(named, near=profile.parent if profile else None)
        if (folder / "pack.yaml").is_file():
            return folder
    core = find_installed(CORE_PACK)
    if core is None:  # pragma: no cover - only a broken installation lacks its shipped packs
        return Path(CORE_PACK)
    if not quiet:
        advice = "with --pack" if given_as == BY_OPTION else "as the PACK argument (peelcheck validate PACK)"
        click.echo(f"note: no {given_as} given: using the installed {CORE_PACK} pack ({core}); its rules quote no "
                   f"force's report. Name your overlay {advice}.", err=True)
    return core


def _profile_pack(profile: Path | None) -> str | None:
    """The ``pack:`` a profile names, if it can be read (errors are reported when it is loaded)."""
    if profile is None:
        return None
    try:
        document = yaml.safe_load(profile.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        # ValueError: a number past Python's 4,300 digits; RecursionError: nesting deeper than the stack. The
        # profile's own loader refuses both at their line, as it does bad syntax: this quick look must not crash
        return None
    named = document.get("pack") if isinstance(document, dict) else None
    return named if isinstance(named, str) else None


@click.group("packs")
def packs_group() -> None:
    """The packs peelcheck can find by name."""


@packs_group.command("list")
def packs_list() -> None:
    """One line per installed pack: name, version, what it extends, who provides it, and its folder."""
    for installed in installed_packs():
        try:
            header = yaml.safe_load((installed.folder / "pack.yaml").read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            click.echo(f"{installed.name}\t?\t-\t{installed.provider}\t{installed.folder} ({exc})")
            continue
        extends = ", ".join(f"{e.get('pack')} {e.get('version', '')}".strip()
                            for e in header.get("extends") or [] if isinstance(e, dict)) or "-"
        click.echo(f"{installed.name}\t{header.get('version', '?')}\t{extends}\t{installed.provider}\t"
                   f"{installed.folder}")


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force-name", required=True, help='The force\'s name, as reports show it ("Example Police").')
@click.option("--short-name", default=None, help="A short name for the force, if it has one.")
@click.option("--id", "pack_id", default=None, help="The overlay's id (default: from the force's name).")
def init_command(folder: Path, force_name: str, short_name: str | None, pack_id: str | None) -> None:
    """Scaffold a force's own rules repository in FOLDER: an overlay extending peel-core, a profile,
    a features/ folder with one scenario, and a CI workflow."""
    if folder.exists() and any(folder.iterdir()):
        raise click.UsageError(f"{folder} is not empty")
    written = write_force_repo(folder, force_name, short_name, pack_id)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {folder} && peelcheck validate pack && python -m pytest")


def pack_or_exit(pack_ref: str | None, profile: Path | None) -> CompiledPack:
    """The pack named (or the profile's, else the core), compiled with the profile; its problems and exit 2 if not."""
    try:
        pack = load_compiled_pack(pack_folder(pack_ref, profile), profile)
    except PeelcheckError as error:
        report_errors(error)
    warn(pack.warnings)  # the pack is still used: what it was warned of is said
    return pack
