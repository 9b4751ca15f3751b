//! String values under the current user's registry key (`HKEY_CURRENT_USER`): read, written and
//! removed, as start at login needs them (the `Run` key).

use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_SUCCESS, WIN32_ERROR};
use windows_sys::Win32::System::Registry::{
    HKEY_CURRENT_USER, REG_SZ, RRF_RT_REG_SZ, RegDeleteKeyValueW, RegGetValueW, RegSetKeyValueW,
};

use super::wide;

/// The longest value read, in UTF-16 units (a program's path and its arguments fit).
const MAX_VALUE_UNITS: usize = 4096;

fn error(code: WIN32_ERROR) -> std::io::Error {
    std::io::Error::from_raw_os_error(code as i32)
}

/// The string value `name` under `HKEY_CURRENT_USER\key`, `None` when there is none.
pub fn read(key: &str, name: &str) -> std::io::Result<Option<String>> {
    let (key, name) = (wide(key), wide(name));
    let mut buffer = vec![0u16; MAX_VALUE_UNITS];
    let mut bytes = (buffer.len() * 2) as u32;
    // SAFETY: valid NUL-terminated strings; the buffer's size in bytes is passed with it.
    let code = unsafe {
        RegGetValueW(
            HKEY_CURRENT_USER,
            key.as_ptr(),
            name.as_ptr(),
            RRF_RT_REG_SZ,
            std::ptr::null_mut(),
            buffer.as_mut_ptr().cast(),
            &mut bytes,
        )
    };
    match code {
        ERROR_SUCCESS => Ok(Some(super::from_wide(&buffer[..(bytes as usize / 2).min(buffer.len())]))),
        ERROR_FILE_NOT_FOUND => Ok(None),
        code => Err(error(code)),
    }
}

/// Sets the string value `name` under `HKEY_CURRENT_USER\key` (the key is made if missing).
pub fn write(key: &str, name: &str, value: &str) -> std::io::Result<()> {
    let (key, name, value) = (wide(key), wide(name), wide(value));
    // SAFETY: valid NUL-terminated strings; the value's size in bytes includes its NUL.
    let code = unsafe {
        RegSetKeyValueW(
            HKEY_CURRENT_USER,
            key.as_ptr(),
            name.as_ptr(),
            REG_SZ,
            value.as_ptr().cast(),
            (value.len() * 2) as u32,
        )
    };
    if code == ERROR_SUCCESS { Ok(()) } else { Err(error(code)) }
}

/// Removes the value `name` under `HKEY_CURRENT_USER\key`; one that is not there is no error.
pub fn remove(key: &str, name: &str) -> std::io::Result<()> {
    let (key, name) = (wide(key), wide(name));
    // SAFETY: valid NUL-terminated strings.
    match unsafe { RegDeleteKeyValueW(HKEY_CURRENT_USER, key.as_ptr(), name.as_ptr()) } {
        ERROR_SUCCESS | ERROR_FILE_NOT_FOUND => Ok(()),
        code => Err(error(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_written_read_and_removed() {
        let key = r"Software\slouchwatch-tests";
        let name = format!("value-{}", std::process::id());
        assert_eq!(read(key, &name).unwrap(), None);
        write(key, &name, r#""C:\Program Files\x\slouchwatch.exe" gui --background"#).unwrap();
        assert_eq!(
            read(key, &name).unwrap().as_deref(),
            Some(r#""C:\Program Files\x\slouchwatch.exe" gui --background"#)
        );
        remove(key, &name).unwrap();
        assert_eq!(read(key, &name).unwrap(), None);
        remove(key, &name).unwrap();
    }
}
