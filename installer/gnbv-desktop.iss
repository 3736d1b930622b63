; Inno Setup script for the Windows installer (build after PyInstaller: ISCC installer\gnbv-desktop.iss).
; Installs per user (no administrator rights needed on commune laptops); data stays in the user's
; AppData folder and is never removed by uninstalling.
[Setup]
AppName=GNBV Desktop
AppVersion=0.1.0
AppPublisher=GNBV
DefaultDirName={localappdata}\Programs\GNBV Desktop
DefaultGroupName=GNBV Desktop
PrivilegesRequired=lowest
OutputBaseFilename=GNBV-Desktop-Setup-0.1.0
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
SetupIconFile=..\resources\icons\gnbv.ico

[Languages]
Name: "vi"; MessagesFile: "compiler:Languages\Vietnamese.isl"

[Files]
Source: "..\dist\GNBV-Desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\GNBV Desktop"; Filename: "{app}\GNBV-Desktop.exe"
Name: "{userdesktop}\GNBV Desktop"; Filename: "{app}\GNBV-Desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình"; GroupDescription: "Biểu tượng:"

[Run]
Filename: "{app}\GNBV-Desktop.exe"; Description: "Mở GNBV Desktop"; Flags: nowait postinstall skipifsilent
