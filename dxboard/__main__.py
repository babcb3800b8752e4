from dxboard.cli import main

main()
