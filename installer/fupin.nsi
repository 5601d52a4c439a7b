; Windows installer for 扶贫工作队桌面助手 (NSIS 3, Unicode).
; Build on Windows after PyInstaller (or on Linux with `makensis`, given a dist\fupin built on Windows):
;   pyinstaller --noconfirm installer\fupin.spec
;   makensis /DVERSION=0.1.0 installer\fupin.nsi        -> dist\fupin-setup-0.1.0.exe
; Installs for the current user (no administrator rights needed on a village laptop) into
; %LOCALAPPDATA%\Programs\FupinDesktop, adds Start-menu and desktop shortcuts and an uninstaller.
; The uninstaller removes the program only: the data folder (%LOCALAPPDATA%\FupinDesktop, or the
; folder chosen in the first-run wizard) with the database, backups and logs is never touched.

Unicode true
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!define APPNAME "扶贫工作队桌面助手"
!define APPKEY "FupinDesktop"
!define DIST "..\dist\fupin"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

!include "MUI2.nsh"

Name "${APPNAME}"
OutFile "..\dist\fupin-setup-${VERSION}.exe"
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\fupin-gui.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即打开${APPNAME}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "FupinDesktop"

Section "程序" SecMain
  SectionIn RO
  ; an update replaces the program files; the old ones go first so no stale library stays behind
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*.*"
  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\fupin-gui.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\fupin-gui.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "FupinDesktop"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\fupin-gui.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; program files only — the data folder with the database and its backups stays
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\fupin-gui.exe"
  Delete "$INSTDIR\fupin.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
  MessageBox MB_OK|MB_ICONINFORMATION "程序已卸载。村里的数据（数据库、备份和日志）仍保留在数据文件夹中，没有删除。"
SectionEnd
