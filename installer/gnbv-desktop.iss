; Inno Setup 6 script for the Windows installer of GNBV Desktop (Inno Setup runs only on Windows).
; Build on Windows, from the repository root, after the bundle:
;     python installer\build.py
;     ISCC installer\gnbv-desktop.iss            (ISCC /DAppVersion=0.2.0 … for another version)
; It packs dist\gnbv-desktop\ as build.py leaves it: gnbv-desktop.exe beside _internal\ (Python,
; Qt, ui\, resources\). Per user, no administrator rights; the data folder
; (%LOCALAPPDATA%\GNBV\GNBV Desktop: gnbv.sqlite3, backups, log) lies outside {app} and nothing
; here deletes it: there is no [UninstallDelete] section and no [Code].

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "gnbv-desktop.exe"
#define Bundle "..\dist\gnbv-desktop"

; Vietnamese is an "unofficial" Inno Setup translation: ISCC finds it in its Languages\Unofficial
; folder, or beside this script (download Vietnamese.isl from the Inno Setup translations page).
#if FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Vietnamese.isl")
  #define VietnameseMessages "compiler:Languages\Unofficial\Vietnamese.isl"
#elif FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
  #define VietnameseMessages "Vietnamese.isl"
#else
  #error Thiếu tệp ngôn ngữ Vietnamese.isl: chép vào Languages\Unofficial của Inno Setup hoặc vào thư mục installer.
#endif
#if !FileExists(AddBackslash(SourcePath) + Bundle + "\" + AppExe)
  #error Chưa có bản đóng gói: chạy "python installer\build.py" trước.
#endif

[Setup]
AppId={{9FBC8ADC-2897-4BE5-915A-4F4094A752E3}
AppName=GNBV Desktop
AppVersion={#AppVersion}
AppVerName=GNBV Desktop {#AppVersion}
AppPublisher=GNBV
; per-user: {autopf} is %LOCALAPPDATA%\Programs when PrivilegesRequired=lowest
PrivilegesRequired=lowest
DefaultDirName={autopf}\GNBV Desktop
DefaultGroupName=GNBV Desktop
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=GNBV-Desktop-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
SetupIconFile=..\resources\icons\gnbv.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=GNBV Desktop
; an open app is closed before its files are replaced; Explorer learns the new file types
CloseApplications=yes
ChangesAssociations=yes
ShowLanguageDialog=no

[Languages]
Name: "vi"; MessagesFile: "{#VietnameseMessages}"

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình"; GroupDescription: "Biểu tượng:"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\GNBV Desktop"; Filename: "{app}\{#AppExe}"; Comment: "Quản lý hộ nghèo, hộ cận nghèo"
Name: "{autodesktop}\GNBV Desktop"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

; File types, for this user only (HKA is HKCU in a per-user install). A double-click on a .gnbv
; runs "gnbv-desktop.exe --open FILE": on the upper level's machine it imports the commune's
; package; a .gnbvref (reference package) is imported on a commune's machine.
[Registry]
Root: HKA; Subkey: "Software\Classes\.gnbv"; ValueType: string; ValueName: ""; ValueData: "GNBVDesktop.Package"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Package"; ValueType: string; ValueName: ""; ValueData: "Gói dữ liệu GNBV gửi cấp trên"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --open ""%1"""
Root: HKA; Subkey: "Software\Classes\.gnbvref"; ValueType: string; ValueName: ""; ValueData: "GNBVDesktop.Reference"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Reference"; ValueType: string; ValueName: ""; ValueData: "Gói tham chiếu GNBV của cấp trên"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Reference\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\GNBVDesktop.Reference\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --open ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "Mở GNBV Desktop"; Flags: nowait postinstall skipifsilent
