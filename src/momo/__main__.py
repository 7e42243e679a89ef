from momo.cli import app

app()
