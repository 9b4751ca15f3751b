//! The `slouchwatch` binary: everything lives in the library; see `slouchwatch::cli`.

fn main() -> std::process::ExitCode {
    slouchwatch::cli::main()
}
