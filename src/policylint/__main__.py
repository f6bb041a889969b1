from policylint.cli import main

main()
