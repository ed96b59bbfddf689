; OnScene's additions to electron-builder's NSIS installer (electron-builder.yml nsis.include).
; Enterprise switch: /CONFIG=<path> copies the trust's config file (README "Configuration") to
; %ProgramData%\OnScene\config.json, where the app reads it for every user of the machine
; (main/electron/shellPolicy.ts machineConfigPath). Example, silent, per-machine:
;   "OnScene Setup 0.1.0.exe" /S /CONFIG=\\fileserver\it\onscene\config.json
; The uninstaller leaves %ProgramData%\OnScene and each user's data folder alone: an encrypted
; database may hold work not yet uploaded, which is never discarded silently.
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CONFIG=" $R1
  ${IfNot} ${Errors}
    ReadEnvStr $R2 PROGRAMDATA
    CreateDirectory "$R2\OnScene"
    ClearErrors
    CopyFiles /SILENT "$R1" "$R2\OnScene\config.json"
    ${If} ${Errors}
      DetailPrint "OnScene: could not copy the config file given with /CONFIG"
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
!macroend
