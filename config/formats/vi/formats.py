# Django's Vietnamese date starts with "Ngày", and Koe's sentences already say "ngày %(date)s":
# without it here, a date reads "ngày Ngày 30 tháng 11 năm 2026". Other formats come from Django.
DATE_FORMAT = r"j \t\h\á\n\g n \n\ă\m Y"
