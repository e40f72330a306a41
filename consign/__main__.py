from consign.cli import main

main()
