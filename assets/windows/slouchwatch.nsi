; The Windows installer: a per-user install, no administrator rights asked.
; Built by scripts/package-windows.sh:
;   makensis -DVERSION=0.5.0 -DSTAGE=<folder with the files> -DOUTFILE=<setup.exe> slouchwatch.nsi
; Installs into %LOCALAPPDATA%\Programs\slouchwatch: the program, the optional Thunder model (in
; models\, where the program looks beside itself), a Start-menu entry, an entry in Apps &
; features, and, when ticked, start at login (the user's Run key). The uninstaller keeps the
; posture history and settings unless asked to remove them (a silent uninstall, /S, keeps them).

; A 64-bit installer, like the program (and Wine here runs 64-bit programs only).
Target amd64-unicode
!include "MUI2.nsh"

!ifndef VERSION | STAGE | OUTFILE
  !error "give -DVERSION=, -DSTAGE= and -DOUTFILE="
!endif

!define APP "slouchwatch"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "${APP} ${VERSION}"

!define MUI_ICON "${STAGE}/${APP}.ico"
!define MUI_UNICON "${STAGE}/${APP}.ico"
!define MUI_WELCOMEPAGE_TEXT "${APP} watches your posture through your webcam while you work, and tells you when you slouch.$\r$\n$\r$\nEverything stays on this computer: no picture is stored or sent.$\r$\n$\r$\n${APP} is a habit tool, not a medical device. See a professional for numbness or weakness down the arms, pain after an injury, pain with a fever, or pain that does not get better within a week."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP}.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP} now"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "${APP}" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${STAGE}/${APP}.exe"
  File "${STAGE}/${APP}.ico"
  File "${STAGE}/README.txt"
  File "${STAGE}/LICENSES.txt"
  SetOutPath "$INSTDIR\models"
  File "${STAGE}/models/movenet-thunder.onnx"
  File "${STAGE}/models/README.md"
  SetOutPath "$INSTDIR"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${APP}.exe" "" "$INSTDIR\${APP}.ico"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "the ${APP} developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP}.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section /o "Start ${APP} when I log in" SecLogin
  WriteRegStr HKCU "${RUN_KEY}" "${APP}" '"$INSTDIR\${APP}.exe" gui --background'
SectionEnd

Section "un.${APP}" UnProgram
  SectionIn RO
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\${APP}.ico"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\LICENSES.txt"
  Delete "$INSTDIR\models\movenet-thunder.onnx"
  Delete "$INSTDIR\models\README.md"
  RMDir "$INSTDIR\models"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd

; Not ticked unless the person ticks it: the history is theirs.
Section /o "un.My posture history, calibration and settings" UnData
  RMDir /r "$APPDATA\${APP}"
  RMDir /r "$LOCALAPPDATA\${APP}"
SectionEnd
