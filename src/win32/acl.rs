//! A folder private to its owner, with Windows' own permissions: a protected access list (the
//! folder's parents' entries no longer apply) that lets in its owner and the system only, passed
//! down to everything made inside it. Windows' counterpart of a 0700 folder.

use std::path::Path;

use windows_sys::Win32::Foundation::{ERROR_SUCCESS, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1, SE_FILE_OBJECT, SetNamedSecurityInfoW,
};
use windows_sys::Win32::Security::{
    ACL, DACL_SECURITY_INFORMATION, GetSecurityDescriptorDacl, PROTECTED_DACL_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR,
};

use super::wide;

/// The access list in Windows' own notation: protected (`P`), full access (`FA`) for the
/// folder's owner (`OW`) and the system (`SY`), inherited by files (`OI`) and folders (`CI`).
pub const OWNER_ONLY: &str = "D:P(A;OICI;FA;;;OW)(A;OICI;FA;;;SY)";

/// Makes the folder at `path` private to its owner (and the system).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    let text = wide(OWNER_ONLY);
    let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: a valid NUL-terminated string; the descriptor is freed below with LocalFree.
    if unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(
            text.as_ptr(),
            SDDL_REVISION_1,
            &mut descriptor,
            std::ptr::null_mut(),
        )
    } == 0
    {
        return Err(std::io::Error::last_os_error());
    }
    let (mut present, mut defaulted, mut list) = (0, 0, std::ptr::null_mut::<ACL>());
    // SAFETY: a descriptor just made; the list points into it and is used before it is freed.
    let result = unsafe {
        if GetSecurityDescriptorDacl(descriptor, &mut present, &mut list, &mut defaulted) == 0 || present == 0 {
            Err(std::io::Error::last_os_error())
        } else {
            let name = wide(&path.to_string_lossy());
            match SetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                list,
                std::ptr::null(),
            ) {
                ERROR_SUCCESS => Ok(()),
                code => Err(std::io::Error::from_raw_os_error(code as i32)),
            }
        }
    };
    // SAFETY: the descriptor was allocated by the conversion above.
    unsafe { LocalFree(descriptor) };
    result
}

/// The folder's access list in Windows' notation (for checking).
pub fn access_list(path: &Path) -> std::io::Result<String> {
    use windows_sys::Win32::Security::Authorization::{
        ConvertSecurityDescriptorToStringSecurityDescriptorW, GetNamedSecurityInfoW,
    };
    let name = wide(&path.to_string_lossy());
    let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: valid arguments; the descriptor and the string are freed with LocalFree.
    unsafe {
        let code = GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut descriptor,
        );
        if code != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(code as i32));
        }
        let mut text: *mut u16 = std::ptr::null_mut();
        let converted = ConvertSecurityDescriptorToStringSecurityDescriptorW(
            descriptor,
            SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            std::ptr::null_mut(),
        );
        let result = if converted == 0 {
            Err(std::io::Error::last_os_error())
        } else {
            let length = (0..).take_while(|&at| *text.add(at) != 0).count();
            Ok(String::from_utf16_lossy(std::slice::from_raw_parts(text, length)))
        };
        LocalFree(text.cast());
        LocalFree(descriptor);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether this runs under Wine (its ntdll says so), which keeps no permissions on Linux's
    /// files: there the list is accepted but not kept.
    fn under_wine() -> bool {
        use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
        let ntdll = wide("ntdll.dll");
        // SAFETY: looking up an export by a NUL-terminated name.
        unsafe { GetProcAddress(GetModuleHandleW(ntdll.as_ptr()), c"wine_get_version".as_ptr().cast()).is_some() }
    }

    #[test]
    fn a_private_folder_lets_in_its_owner_and_the_system_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        std::fs::create_dir(&folder).unwrap();
        make_private(&folder).unwrap();
        let list = access_list(&folder).unwrap();
        if !under_wine() {
            assert!(list.starts_with("D:P"), "protected from the parents' entries: {list}");
            assert_eq!(list.matches("(A;").count(), 2, "two entries: {list}");
            assert!(list.contains(";;;SY)"), "{list}");
        }
        std::fs::write(folder.join("history.sqlite3"), b"x").unwrap();
        assert_eq!(std::fs::read(folder.join("history.sqlite3")).unwrap(), b"x", "the owner still reads and writes");
    }
}
