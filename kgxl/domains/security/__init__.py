"""The security domain (门卫、接送、班车、消防): the school bus first."""
